"""The centres admin: who sees which centre, and the photo upload through the change form.

Roles are the groups the data migration makes; a centre manager is limited to their centre
(DESIGN §3, §4), and a photo refused by its content keeps everything else the person typed
(DESIGN §8).
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from resource_centres.models import CentrePhoto, ResourceCentre
from tests.latgale import CENTRE_NAMES

CHANGELIST = "/admin/resource_centres/resourcecentre/"
ALL_CENTRES = CENTRE_NAMES
NOT_AN_IMAGE = (
    "Failu neizdevās nolasīt kā attēlu. Augšupielādējiet veselu JPEG, PNG vai WebP attēlu."
)


def make_user(username, *, is_staff=False):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.lv", is_staff=is_staff
    )


def staff_in(group_name, username):
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def change_url(centre):
    return f"{CHANGELIST}{centre.pk}/change/"


def image_bytes(fmt, size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, fmt)
    return buffer.getvalue()


def jpeg_bytes():
    return image_bytes("JPEG")


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


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

    assert app_models(index) == [("resource_centres", ["ResourceCentre"])]
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

    assert (index.status_code, app_models(index)) == (200, [])
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
        photo.image.name,
        photo.thumbnail.name,
        (photo.width, photo.height),
        preili.description,
    ) == (
        preili,
        "Zāle ar galdiem",
        "Pēc remonta",
        "centres/photos/zale.jpg",
        "centres/thumbs/zale-thumb.jpg",
        (800, 600),
        "Atjaunots.",
    )
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (360, 240))
    assert stored_files(settings) == ["centres/photos/zale.jpg", "centres/thumbs/zale-thumb.jpg"]


def test_editing_a_photos_alt_text_keeps_its_files(client, coordinator, preili, settings):
    client.force_login(coordinator)
    post_with_photo(client, preili, SimpleUploadedFile("zale.jpg", jpeg_bytes()))
    photo = CentrePhoto.objects.get()

    page = client.get(change_url(preili))
    response = client.post(
        change_url(preili), {**form_data(page), "photos-0-alt_text": "Zāle ar skatuvi"}
    )

    photo.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert (photo.alt_text, photo.image.name, photo.thumbnail.name) == (
        "Zāle ar skatuvi",
        "centres/photos/zale.jpg",
        "centres/thumbs/zale-thumb.jpg",
    )
    assert stored_files(settings) == ["centres/photos/zale.jpg", "centres/thumbs/zale-thumb.jpg"]
