"""The centres admin: who sees which centre, and the photo upload through the change form.

Roles are the groups the data migration makes; a centre manager is limited to their centre
(DESIGN §3, §4), and a photo refused by its content keeps everything else the person typed
(DESIGN §8).
"""

import io
import struct
import zlib
from pathlib import Path, PurePath

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from resource_centres.admin import ResourceCentreAdmin
from resource_centres.models import CentrePhoto, ResourceCentre
from tests.factories import ResourceCentreFactory, with_totp
from tests.latgale import CENTRE_NAMES

CHANGELIST = "/admin/resource_centres/resourcecentre/"
ALL_CENTRES = CENTRE_NAMES
NOT_AN_IMAGE = (
    "Failu neizdevās nolasīt kā attēlu. Augšupielādējiet veselu JPEG, PNG vai WebP attēlu."
)
TOO_MANY_PIXELS = "Attēls ir pārāk liels: atļauti ne vairāk kā 40 megapikseļi."


def make_user(username, *, is_staff=False):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.lv", is_staff=is_staff
    )


def staff_in(group_name, username):
    # Staff reach the admin only with two-factor authentication on (kopienas/middleware.py).
    user = with_totp(make_user(username, is_staff=True))
    user.groups.add(Group.objects.get(name=group_name))
    return user


def change_url(centre):
    return f"{CHANGELIST}{centre.pk}/change/"


def image_bytes(fmt, size=(800, 600), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 120, 60) if mode == "RGB" else 0).save(buffer, fmt)
    return buffer.getvalue()


def jpeg_bytes():
    return image_bytes("JPEG")


def noisy_jpeg(size=(640, 480)):
    # Noise does not compress, so half of the file is half of the picture's data.
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256)).save(
        buffer, "JPEG", quality=95
    )
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims a huge picture: what a decompression bomb looks like."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def photo_files(photo, extension="jpg"):
    """Where a photo and its thumbnail should be stored: one shared stem (however it is made)."""
    stem = PurePath(photo.image.name).stem
    return [f"centres/photos/{stem}.{extension}", f"centres/thumbs/{stem}-thumb.jpg"]


def form_data(response):
    """What the browser would post back for the change form as rendered, untouched."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or hasattr(value, "url") or value == []:
                continue  # Nothing typed, or a stored file: a browser posts neither.
            data[field.html_name] = value
    return data


def with_new_photo(data, centre, **photo):
    return {
        **data,
        "photos-TOTAL_FORMS": "1",
        "photos-0-id": "",
        "photos-0-centre": str(centre.pk),
        "photos-0-order": "0",
        "photos-0-caption": "",
        **{f"photos-0-{name}": value for name, value in photo.items()},
    }


@pytest.fixture
def preili(latgale):
    return ResourceCentre.objects.get(slug="preili")


@pytest.fixture
def aglona(latgale):
    return ResourceCentre.objects.get(slug="aglona")


@pytest.fixture
def coordinator(db):
    return staff_in("Koordinatori", "koordinatore")


@pytest.fixture
def manager(preili):
    user = staff_in("Centru vadītāji", "preilu-vaditaja")
    preili.managers.add(user)
    return user


@pytest.fixture
def assessor(db):
    return staff_in("Vērtētāji", "vertetajs")


def centre_names(response):
    return [centre.name for centre in response.context["cl"].result_list]


def app_models(response):
    return [
        (app["app_label"], [model["object_name"] for model in app["models"]])
        for app in response.context["app_list"]
    ]


# --- Who sees which centre -----------------------------------------------------------------


def test_a_coordinator_sees_all_ten_centres(client, coordinator, latgale):
    client.force_login(coordinator)

    response = client.get(CHANGELIST)

    assert (response.status_code, centre_names(response)) == (200, ALL_CENTRES)


def test_a_centre_manager_sees_only_their_own_centre(client, manager, preili):
    client.force_login(manager)

    index = client.get("/admin/")
    changelist = client.get(CHANGELIST)

    # Their centre, and the events of their centre with the registrations (attendance).
    assert app_models(index) == [
        ("resource_centres", ["ResourceCentre"]),
        ("events", ["Event", "Registration"]),
    ]
    assert index.context["app_list"][0]["models"][0]["perms"] == {
        "add": False,
        "change": True,
        "delete": False,
        "view": True,
    }
    assert (changelist.status_code, centre_names(changelist)) == (
        200,
        ["Preiļu kopienas resursu centrs"],
    )
    # No "delete selected" action for someone who may not delete.
    assert changelist.context["action_form"] is None


def test_a_centre_manager_finds_no_other_centre_by_searching(client, manager, aglona):
    client.force_login(manager)

    response = client.get(CHANGELIST, {"q": "Aglona"})

    assert (response.status_code, centre_names(response)) == (200, [])


def test_a_centre_manager_changes_their_centre_but_not_its_slug_publication_or_managers(
    client, manager, preili
):
    other_user = make_user("cits", is_staff=True)
    client.force_login(manager)
    page = client.get(change_url(preili))
    data = {
        **form_data(page),
        "description": "Atvērts arī sestdienās.",
        # Fields the manager cannot see in the form: a forged post must not change them.
        "slug": "parvietots",
        "is_published": "",
        "managers": [str(other_user.pk)],
    }

    response = client.post(change_url(preili), data)

    preili.refresh_from_db()
    assert page.status_code == 200
    assert page.context["adminform"].readonly_fields == ("slug", "is_published", "managers")
    assert "slug" not in page.context["adminform"].form.fields
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert (
        preili.description,
        preili.slug,
        preili.is_published,
        list(preili.managers.all()),
    ) == ("Atvērts arī sestdienās.", "preili", True, [manager])


def test_another_centres_change_page_sends_a_centre_manager_to_the_admin_index(
    client, manager, aglona
):
    client.force_login(manager)
    description = aglona.description

    shown = client.get(change_url(aglona))
    posted = client.post(change_url(aglona), {"name": "Pārņemts", "description": "Pārņemts"})

    # Django's admin treats an object outside get_queryset as missing: a redirect, not a 403.
    assert [(r.status_code, r["Location"]) for r in (shown, posted)] == [
        (302, "/admin/"),
        (302, "/admin/"),
    ]
    assert [str(message) for message in get_messages(shown.wsgi_request)] == [
        f"kopienu resursu centrs ar Id “{aglona.pk}” nepastāv. Varbūt tas ir izdzēsts?"
    ]
    aglona.refresh_from_db()
    assert (aglona.name, aglona.description) == ("Aglonas kopienu resursu centrs", description)


def test_a_centre_manager_cannot_add_or_delete_centres(client, manager, preili, aglona):
    client.force_login(manager)

    responses = [
        client.get(f"{CHANGELIST}add/"),
        client.post(f"{CHANGELIST}add/", {"name": "Jauns centrs"}),
        client.get(f"{CHANGELIST}{preili.pk}/delete/"),
        client.post(f"{CHANGELIST}{preili.pk}/delete/", {"post": "yes"}),
        client.post(f"{CHANGELIST}{aglona.pk}/delete/", {"post": "yes"}),
        client.post(
            CHANGELIST,
            {"action": "delete_selected", "_selected_action": [preili.pk], "post": "yes"},
        ),
    ]

    # The changelist offers this user no actions, so the bulk delete post only shows the list.
    assert [response.status_code for response in responses] == [403, 403, 403, 403, 403, 200]
    assert ResourceCentre.objects.count() == 10


def test_an_assessor_sees_no_centres_module(client, assessor, preili):
    client.force_login(assessor)

    index = client.get("/admin/")
    changelist = client.get(CHANGELIST)
    change = client.get(change_url(preili))

    # Their admin is assessing alone (grants' assessment pages).
    assert (index.status_code, app_models(index)) == (200, [("grants", ["Assessment"])])
    assert (changelist.status_code, change.status_code) == (403, 403)


@pytest.mark.parametrize("is_logged_in", [True, False], ids=["non-staff", "anonymous"])
def test_a_person_without_staff_status_is_sent_to_the_admin_login(client, preili, is_logged_in):
    if is_logged_in:
        client.force_login(make_user("iedzivotajs"))

    responses = [client.get(CHANGELIST), client.get(change_url(preili))]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, f"/admin/login/?next={CHANGELIST}"),
        (302, f"/admin/login/?next={change_url(preili)}"),
    ]


# --- Photo upload through the change form ---------------------------------------------------


def post_with_photo(client, centre, upload, *, alt_text="Zāle ar galdiem", description=None):
    page = client.get(change_url(centre))
    data = with_new_photo(
        form_data(page), centre, image=upload, alt_text=alt_text, caption="Pēc remonta"
    )
    if description is not None:
        data["description"] = description
    return client.post(change_url(centre), data)


def photo_form(response):
    photos = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "photos"
    )
    return photos.forms[0]


BAD_UPLOADS = {
    "renamed PDF": (
        lambda: SimpleUploadedFile("plans.jpg", b"%PDF-1.4\n%%EOF\n"),
        NOT_AN_IMAGE,
    ),
    "SVG": (
        lambda: SimpleUploadedFile(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
        ),
        NOT_AN_IMAGE,
    ),
    "GIF": (
        lambda: SimpleUploadedFile("a.gif", image_bytes("GIF")),
        "Atļauti tikai JPEG, PNG vai WebP attēli.",
    ),
    "over 10 MB": (
        lambda: SimpleUploadedFile("liels.jpg", jpeg_bytes() + b"\x00" * (10 * 1024 * 1024)),
        "Fails ir pārāk liels: atļauti ne vairāk kā 10 MB.",
    ),
    # Django's own FileField check runs first, with Django's Latvian message.
    "empty file": (lambda: SimpleUploadedFile("tukss.jpg", b""), "Iesniegtā datne ir tukša."),
    "truncated JPEG": (
        lambda: SimpleUploadedFile("puse.jpg", noisy_jpeg()[: len(noisy_jpeg()) // 2]),
        NOT_AN_IMAGE,
    ),
    # One colour: 49 million pixels compress to a few kilobytes, past the 40 megapixel limit.
    "49 megapixel bomb": (
        lambda: SimpleUploadedFile("bumba.png", image_bytes("PNG", size=(7000, 7000), mode="1")),
        TOO_MANY_PIXELS,
    ),
    # Past Pillow's own bomb limit: refused from the header, before any decoding.
    "400 megapixels claimed": (
        lambda: SimpleUploadedFile("bumba.png", png_claiming_size(20_000, 20_000)),
        TOO_MANY_PIXELS,
    ),
}


@pytest.mark.parametrize(("make_upload", "message"), BAD_UPLOADS.values(), ids=BAD_UPLOADS)
def test_a_refused_photo_keeps_what_was_typed_and_saves_nothing(
    client, coordinator, preili, settings, make_upload, message
):
    client.force_login(coordinator)
    description = preili.description

    response = post_with_photo(
        client, preili, make_upload(), description="Jauns apraksts ar garumzīmēm: āčēģīķļņšūž"
    )

    form = photo_form(response)
    assert response.status_code == 200
    assert form.errors == {"image": [message]}
    assert (
        response.context["adminform"].form["description"].value(),
        form["alt_text"].value(),
        form["caption"].value(),
    ) == ("Jauns apraksts ar garumzīmēm: āčēģīķļņšūž", "Zāle ar galdiem", "Pēc remonta")
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_photos-0-image_error"><li>{message}</li></ul>' in html
    assert ">\nJauns apraksts ar garumzīmēm: āčēģīķļņšūž</textarea>" in html
    assert 'name="photos-0-alt_text" value="Zāle ar galdiem"' in html
    preili.refresh_from_db()
    assert (preili.description, list(CentrePhoto.objects.all())) == (description, [])
    assert stored_files(settings) == []


def test_a_photo_without_alt_text_is_refused_in_the_admin(client, coordinator, preili, settings):
    client.force_login(coordinator)

    response = post_with_photo(
        client, preili, SimpleUploadedFile("a.jpg", jpeg_bytes()), alt_text="  "
    )

    assert response.status_code == 200
    assert photo_form(response).errors == {"alt_text": ["Šis lauks ir nepieciešams."]}
    assert list(CentrePhoto.objects.all()) == []
    assert stored_files(settings) == []


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_a_good_photo_is_saved_with_its_thumbnail(client, request, preili, settings, role):
    client.force_login(request.getfixturevalue(role))

    response = post_with_photo(
        client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()), description="Atjaunots."
    )

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    photo = CentrePhoto.objects.get()
    preili.refresh_from_db()
    assert (
        photo.centre,
        photo.alt_text,
        photo.caption,
        [photo.image.name, photo.thumbnail.name],
        (photo.width, photo.height),
        preili.description,
    ) == (
        preili,
        "Zāle ar galdiem",
        "Pēc remonta",
        photo_files(photo),
        (800, 600),
        "Atjaunots.",
    )
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (360, 240))
    assert stored_files(settings) == photo_files(photo)


def test_editing_a_photos_alt_text_keeps_its_files(client, coordinator, preili, settings):
    client.force_login(coordinator)
    post_with_photo(client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()))
    photo = CentrePhoto.objects.get()
    files = photo_files(photo)

    page = client.get(change_url(preili))
    response = client.post(
        change_url(preili), {**form_data(page), "photos-0-alt_text": "Zāle ar skatuvi"}
    )

    photo.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert (photo.alt_text, [photo.image.name, photo.thumbnail.name]) == ("Zāle ar skatuvi", files)
    assert stored_files(settings) == files


def test_the_file_input_offers_only_the_accepted_image_types(client, coordinator, preili):
    client.force_login(coordinator)

    response = client.get(change_url(preili))

    assert (
        '<input type="file" name="photos-0-image" accept="image/jpeg,image/png,image/webp" '
        'id="id_photos-0-image">'
    ) in response.content.decode()


def photo_row(page, **changes):
    """The change form as rendered, with the first (stored) photo's row changed."""
    return {**form_data(page), **{f"photos-0-{name}": value for name, value in changes.items()}}


def test_deleting_a_photo_removes_its_files_once_committed(
    client, coordinator, preili, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    post_with_photo(client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()))
    files = photo_files(CentrePhoto.objects.get())
    page = client.get(change_url(preili))

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(change_url(preili), photo_row(page, DELETE="on"))
        # Until the deletion commits, a rollback would still need the files.
        files_before_commit = stored_files(settings)
    for callback in callbacks:
        callback()

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert list(CentrePhoto.objects.all()) == []
    assert files_before_commit == files
    assert stored_files(settings) == []


def test_replacing_a_photos_image_keeps_only_the_new_files(
    client, coordinator, preili, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    post_with_photo(client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()))
    photo = CentrePhoto.objects.get()
    old_files = photo_files(photo)
    page = client.get(change_url(preili))
    new_image = SimpleUploadedFile("skatuve.png", image_bytes("PNG", size=(400, 300)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(preili), photo_row(page, image=new_image))

    photo.refresh_from_db()
    new_files = photo_files(photo, "png")
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert ([photo.image.name, photo.thumbnail.name], photo.width, photo.height) == (
        new_files,
        400,
        300,
    )
    assert set(new_files) & set(old_files) == set()
    assert stored_files(settings) == new_files


def test_deleting_a_centre_removes_its_photos_files_once_committed(
    client, coordinator, preili, settings, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    post_with_photo(client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CHANGELIST}{preili.pk}/delete/", {"post": "yes"})

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert (ResourceCentre.objects.filter(slug="preili").exists(), stored_files(settings)) == (
        False,
        [],
    )


def test_files_of_a_save_that_is_rolled_back_are_removed(client, settings, monkeypatch, roles):
    # A real transaction (no test transaction around it): the admin's own one is rolled back
    # after the photo and its thumbnail were written.
    coordinator = staff_in("Koordinatori", "koordinatore")
    centre = ResourceCentreFactory(slug="preili")
    client.force_login(coordinator)
    page = client.get(change_url(centre))

    def fail(*args, **kwargs):
        raise RuntimeError("test: the change log could not be written")

    monkeypatch.setattr(ResourceCentreAdmin, "log_change", fail)

    with pytest.raises(RuntimeError, match="the change log could not be written"):
        client.post(
            change_url(centre),
            with_new_photo(
                form_data(page),
                centre,
                image=SimpleUploadedFile("zale.jpg", jpeg_bytes()),
                alt_text="Zāle ar galdiem",
            ),
        )

    assert list(CentrePhoto.objects.all()) == []
    assert stored_files(settings) == []


# --- Managers --------------------------------------------------------------------------------


def test_managers_are_chosen_through_the_user_search(client, coordinator, preili):
    candidate = staff_in("Centru vadītāji", "ilze")
    candidate.first_name, candidate.last_name = "Ilze", "Ozoliņa"
    candidate.save()
    client.force_login(coordinator)

    page = client.get(change_url(preili))
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "resource_centres",
            "model_name": "resourcecentre",
            "field_name": "managers",
            "term": "ozoliņa",
        },
    )

    widget = page.context["adminform"].form.fields["managers"].widget
    assert type(widget.widget).__name__ == "AutocompleteSelectMultiple"
    assert (found.status_code, found.json()["results"]) == (
        200,
        [{"id": str(candidate.pk), "text": "ilze"}],
    )


def post_managers(client, centre, managers):
    page = client.get(change_url(centre))
    return client.post(
        change_url(centre), {**form_data(page), "managers": [str(user.pk) for user in managers]}
    )


def test_a_coordinator_makes_centre_managers_of_staff_in_the_role_groups(
    client, coordinator, preili
):
    manager = staff_in("Centru vadītāji", "jauna-vaditaja")
    other_coordinator = staff_in("Koordinatori", "cits-koordinators")
    client.force_login(coordinator)

    response = post_managers(client, preili, [manager, other_coordinator])

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert set(preili.managers.all()) == {manager, other_coordinator}


def not_a_manager(person):
    return (
        f"{person} nevar vadīt centru: sadaļā „Lietotāji” šim kontam jābūt atzīmētam „Aktīvs” "
        "un „Personāla statuss” un jābūt grupā „Centru vadītāji”."
    )


def test_a_manager_who_could_not_use_the_admin_is_refused_by_name(client, coordinator, preili):
    resident = make_user("anita")
    resident.first_name, resident.last_name = "Anita", "Aktīviste"
    resident.save()
    staff_without_role = make_user("gatis", is_staff=True)
    inactive = staff_in("Centru vadītāji", "bijusi-vaditaja")
    inactive.is_active = False
    inactive.save()
    assessor = staff_in("Vērtētāji", "vertetaja")
    eligible = staff_in("Centru vadītāji", "derigs")
    client.force_login(coordinator)

    response = post_managers(
        client, preili, [resident, staff_without_role, inactive, assessor, eligible]
    )

    expected = [
        not_a_manager(person)
        for person in ["Anita Aktīviste (anita)", "gatis", "bijusi-vaditaja", "vertetaja"]
    ]
    assert response.status_code == 200
    assert sorted(response.context["adminform"].form.errors["managers"]) == sorted(expected)
    assert "<li>" + not_a_manager("Anita Aktīviste (anita)") + "</li>" in (
        response.content.decode()
    )
    assert list(preili.managers.all()) == []
