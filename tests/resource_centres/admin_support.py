"""Shared by the tests split from test_admin.py: constants, helpers and fixtures."""

import io
import struct
import zlib
from pathlib import Path, PurePath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

from tests.factories import with_totp
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


def centre_names(response):
    return [centre.name for centre in response.context["cl"].result_list]


def app_models(response):
    return [
        (app["app_label"], [model["object_name"] for model in app["models"]])
        for app in response.context["app_list"]
    ]
