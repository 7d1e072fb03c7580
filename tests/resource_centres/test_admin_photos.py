"""Centre photos uploaded through the admin's change form: checked, re-encoded, kept or refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from resource_centres.admin import ResourceCentreAdmin
from resource_centres.models import CentrePhoto, ResourceCentre
from tests.factories import ResourceCentreFactory
from tests.resource_centres.admin_support import (
    CHANGELIST,
    NOT_AN_IMAGE,
    TOO_MANY_PIXELS,
    change_url,
    form_data,
    image_bytes,
    jpeg_bytes,
    noisy_jpeg,
    photo_files,
    png_claiming_size,
    staff_in,
    stored_files,
    with_new_photo,
)

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
    assert photo_form(response).errors == {"alt_text": ["Šis lauks ir obligāts."]}
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
