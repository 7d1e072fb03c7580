"""Centre photos: only whole JPEG, PNG or WebP images within the limits, re-encoded clean.

Every refusal is a ValidationError with the Latvian message a centre manager sees, and leaves
no CentrePhoto row and no file in storage.
"""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from core.images import process_photo
from resource_centres.models import CentrePhoto, ResourceCentre
from resource_centres.services import add_centre_photo

NOT_AN_IMAGE = (
    "Failu neizdevās nolasīt kā attēlu. Augšupielādējiet veselu JPEG, PNG vai WebP attēlu."
)
WRONG_FORMAT = "Atļauti tikai JPEG, PNG vai WebP attēli."
TOO_MANY_BYTES = "Fails ir pārāk liels: atļauti ne vairāk kā 10 MB."
TOO_MANY_PIXELS = "Attēls ir pārāk liels: atļauti ne vairāk kā 40 megapikseļi."

COLOURS = {
    "red": (255, 0, 0),
    "blue": (0, 0, 255),
    "white": (255, 255, 255),
    "black": (0, 0, 0),
}


def image_bytes(fmt, *, size=(800, 600), mode="RGB", colour="red", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, COLOURS[colour] if mode == "RGB" else 0).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def noisy_jpeg(size=(640, 480)):
    # Noise does not compress, so half of the file is half of the picture's data.
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, bytes(range(256)) * (size[0] * size[1] * 3 // 256)).save(
        buffer, "JPEG", quality=95
    )
    return buffer.getvalue()


def truncated(content):
    return content[: len(content) // 2]


def png_claiming_size(width, height):
    """A tiny PNG whose header claims a huge picture: what a decompression bomb looks like."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name, content):
    return SimpleUploadedFile(name, content)


def colour_at(image, xy):
    """The named colour nearest to a pixel: lossy encoders never keep exact values."""
    pixel = image.convert("RGB").getpixel(xy)
    return min(
        COLOURS,
        key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], pixel, strict=True)),
    )


def stored_names(photo, extension):
    """The photo's and thumbnail's names, checked to be random and to share one token.

    The uploader's file name never reaches storage, and so never a public URL.
    """
    image = re.fullmatch(rf"centres/photos/([0-9a-f]{{16}})\.{extension}", photo.image.name)
    assert image, photo.image.name
    assert photo.thumbnail.name == f"centres/thumbs/{image.group(1)}-thumb.jpg"
    return [photo.image.name, photo.thumbnail.name]


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def centre(latgale):
    return ResourceCentre.objects.get(slug="preili")


# --- Accepted photos ----------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_valid_photo_is_stored_in_its_own_format_with_a_thumbnail(
    centre, settings, fmt, extension
):
    photo = add_centre_photo(
        centre=centre,
        upload=upload(f"zale.{extension}", image_bytes(fmt)),
        alt_text="Preiļu centra zāle ar galdiem",
        caption="Zāle pēc remonta",
        order=2,
    )

    photo.refresh_from_db()
    assert (photo.centre, photo.alt_text, photo.caption, photo.order) == (
        centre,
        "Preiļu centra zāle ar galdiem",
        "Zāle pēc remonta",
        2,
    )
    names = stored_names(photo, extension)
    assert (photo.width, photo.height) == (800, 600)
    with Image.open(photo.image.path) as stored:
        assert (stored.format, stored.size, colour_at(stored, (400, 300))) == (
            fmt,
            (800, 600),
            "red",
        )
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (360, 240))
    assert stored_files(settings) == names
    assert "zale" not in " ".join(names)


def test_stored_names_are_random_and_never_the_uploaded_name(centre, settings):
    name = "Jāņa Bērziņa māja, Preiļi, 2024.jpg"
    photos = [
        add_centre_photo(centre=centre, upload=upload(name, image_bytes("JPEG")), alt_text="Māja")
        for _ in range(2)
    ]

    names = [stored_names(photo, "jpg") for photo in photos]
    assert names[0] != names[1]
    assert stored_files(settings) == sorted(names[0] + names[1])
    assert [
        part
        for part in ("Jāņa", "Jana", "Berzina", "Bērziņa", "Preiļi", "2024")
        if part in " ".join(names[0] + names[1])
    ] == []


def test_the_content_decides_the_format_not_the_file_name(centre):
    photo = add_centre_photo(
        centre=centre, upload=upload("foto.jpg", image_bytes("PNG")), alt_text="Centra ieeja"
    )

    stored_names(photo, "png")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "PNG"


def test_a_phone_jpeg_with_several_pictures_is_accepted_as_jpeg(centre):
    # Many phone cameras write JPEG files with a Multi-Picture extension (Pillow's "MPO").
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), COLOURS["red"]).save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (400, 300))]
    )

    photo = add_centre_photo(
        centre=centre, upload=upload("telefons.jpg", buffer.getvalue()), alt_text="Talka"
    )

    stored_names(photo, "jpg")
    with Image.open(photo.image.path) as stored:
        assert (stored.format, stored.size, colour_at(stored, (10, 10))) == (
            "JPEG",
            (400, 300),
            "red",
        )


def test_a_transparent_palette_png_keeps_its_transparency(centre):
    logo = Image.new("P", (300, 200), 0)
    logo.putpalette([0, 0, 0, 0, 0, 255])
    logo.paste(1, (150, 0, 300, 200))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG", transparency=0)

    photo = add_centre_photo(
        centre=centre, upload=upload("logo.png", buffer.getvalue()), alt_text="Centra logo"
    )

    with Image.open(photo.image.path) as stored:
        assert (stored.mode, stored.getpixel((10, 10)), stored.getpixel((290, 10))) == (
            "RGBA",
            (0, 0, 0, 0),
            (0, 0, 255, 255),
        )
    # The JPEG thumbnail shows the transparent part on white, not black.
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert (colour_at(thumbnail, (10, 120)), colour_at(thumbnail, (350, 120))) == (
            "white",
            "blue",
        )


def test_a_16_bit_grey_png_keeps_its_tones(centre):
    buffer = io.BytesIO()
    Image.new("I;16", (200, 100), 30000).save(buffer, "PNG")

    photo = add_centre_photo(
        centre=centre, upload=upload("pelekais.png", buffer.getvalue()), alt_text="Pelēks foto"
    )

    with Image.open(photo.image.path) as stored:
        # 30000 of 65535 is 117 of 255, not the white a clipping conversion would give.
        assert (stored.mode, stored.getpixel((5, 5))) == ("L", 117)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_with_the_gps_position_is_dropped_and_the_photo_turned_upright(centre, fmt):
    # Stored sideways: red on the left, blue on the right. Orientation 6 means "turn 90° right
    # to view", so the upright photo is 200 × 400 with red on top.
    sideways = Image.new("RGB", (400, 200), COLOURS["red"])
    sideways.paste(COLOURS["blue"], (200, 0, 400, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Kamera"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (56.0, 17.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (26.0, 43.0, 0.0),
    }
    buffer = io.BytesIO()
    sideways.save(buffer, fmt, exif=exif)
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (
            56.0,
            17.0,
            30.0,
        )

    photo = add_centre_photo(
        centre=centre, upload=upload("talka.bin", buffer.getvalue()), alt_text="Talka"
    )

    content = Path(photo.image.path).read_bytes()
    with Image.open(io.BytesIO(content)) as stored:
        assert stored.getexif() == {}
        assert "exif" not in stored.info
        assert (stored.size, colour_at(stored, (100, 50)), colour_at(stored, (100, 350))) == (
            (200, 400),
            "red",
            "blue",
        )
    assert (b"Exif" in content, b"Kamera" in content) == (False, False)
    assert (photo.width, photo.height) == (200, 400)


def test_comments_text_chunks_and_trailing_payloads_are_dropped(centre):
    jpeg = image_bytes("JPEG", comment=b"slepens-komentars") + b"<?php system($_GET['c']); ?>"
    png_info = PngInfo()
    png_info.add_text("Location", "slepena-vieta")
    png = image_bytes("PNG", pnginfo=png_info)

    stored = [
        Path(
            add_centre_photo(
                centre=centre, upload=upload(name, content), alt_text="Foto"
            ).image.path
        ).read_bytes()
        for name, content in [("a.jpg", jpeg), ("b.png", png)]
    ]

    assert [
        (b"slepens-komentars" in data, b"<?php" in data, b"slepena-vieta" in data)
        for data in stored
    ] == [(False, False, False), (False, False, False)]


def test_a_photo_of_exactly_the_byte_limit_is_accepted_and_one_byte_more_refused(centre, settings):
    settings.PHOTO_MAX_BYTES = 2 * 1024 * 1024
    jpeg = image_bytes("JPEG")
    # Bytes after the end-of-image marker are ignored by decoders (and dropped by re-encoding).
    at_limit = jpeg + b"\x00" * (settings.PHOTO_MAX_BYTES - len(jpeg))

    photo = add_centre_photo(centre=centre, upload=upload("a.jpg", at_limit), alt_text="Foto")
    with pytest.raises(ValidationError) as refused:
        add_centre_photo(centre=centre, upload=upload("b.jpg", at_limit + b"\x00"), alt_text="Foto")

    assert (refused.value.code, refused.value.messages) == (
        "too_large",
        ["Fails ir pārāk liels: atļauti ne vairāk kā 2 MB."],
    )
    assert list(CentrePhoto.objects.values_list("pk", flat=True)) == [photo.pk]


def test_a_photo_of_exactly_the_pixel_limit_is_accepted_and_one_column_more_refused(
    centre, settings
):
    settings.PHOTO_MAX_PIXELS = 2_000_000

    photo = add_centre_photo(
        centre=centre,
        upload=upload("a.png", image_bytes("PNG", size=(2000, 1000))),
        alt_text="Foto",
    )
    with pytest.raises(ValidationError) as refused:
        add_centre_photo(
            centre=centre,
            upload=upload("b.png", image_bytes("PNG", size=(2001, 1000))),
            alt_text="Foto",
        )

    assert (refused.value.code, refused.value.messages) == (
        "too_many_pixels",
        ["Attēls ir pārāk liels: atļauti ne vairāk kā 2 megapikseļi."],
    )
    assert list(CentrePhoto.objects.values_list("pk", flat=True)) == [photo.pk]


# --- Refused uploads ----------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">'
    b'<script>alert("x")</script><rect width="800" height="600" fill="red"/></svg>'
)

REFUSED = {
    "renamed PDF": (
        "plans.jpg",
        lambda: PDF,
        "invalid_image",
        NOT_AN_IMAGE,
    ),
    "truncated JPEG": (
        "puse.jpg",
        lambda: truncated(noisy_jpeg()),
        "invalid_image",
        NOT_AN_IMAGE,
    ),
    "SVG": ("logo.svg", lambda: SVG, "invalid_image", NOT_AN_IMAGE),
    "text renamed .png": (
        "foto.png",
        lambda: "Šis nav attēls.".encode(),
        "invalid_image",
        NOT_AN_IMAGE,
    ),
    "empty file": ("tukss.jpg", lambda: b"", "invalid_image", NOT_AN_IMAGE),
    "GIF": ("kustiba.gif", lambda: image_bytes("GIF"), "format", WRONG_FORMAT),
    "BMP": ("foto.bmp", lambda: image_bytes("BMP", size=(80, 60)), "format", WRONG_FORMAT),
    "TIFF": ("foto.tif", lambda: image_bytes("TIFF", size=(80, 60)), "format", WRONG_FORMAT),
    "over 10 MB": (
        "liels.jpg",
        # A real photo padded past the limit: refused for its size alone.
        lambda: image_bytes("JPEG") + b"\x00" * (10 * 1024 * 1024),
        "too_large",
        TOO_MANY_BYTES,
    ),
    "49 megapixels": (
        "bumba.png",
        # One colour: 49 million pixels compress to a few kilobytes.
        lambda: image_bytes("PNG", size=(7000, 7000), mode="1"),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
    # Past Pillow's own limit (89 MP), Image.open only warns: our header check refuses it.
    "100 megapixels claimed": (
        "bumba.png",
        lambda: png_claiming_size(10_000, 10_000),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
    # Past twice that limit, Image.open itself raises DecompressionBombError.
    "400 megapixels claimed": (
        "bumba.png",
        lambda: png_claiming_size(20_000, 20_000),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
}


# Pillow warns about the 100-megapixel header before our check refuses it: expected here.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("name", "make_content", "code", "message"), REFUSED.values(), ids=REFUSED)
def test_a_bad_upload_is_refused_in_latvian_and_nothing_is_saved(
    centre, settings, name, make_content, code, message
):
    with pytest.raises(ValidationError) as refused:
        add_centre_photo(centre=centre, upload=upload(name, make_content()), alt_text="Centra zāle")

    assert (refused.value.code, refused.value.messages) == (code, [message])
    assert list(CentrePhoto.objects.all()) == []
    assert stored_files(settings) == []


# Pillow warns about the 100-megapixel header before our check refuses it: expected here.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("name", "make_content", "code", "message"), REFUSED.values(), ids=REFUSED)
def test_process_photo_refuses_the_same_files(name, make_content, code, message):
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(name, make_content()))

    assert (refused.value.code, refused.value.messages) == (code, [message])


@pytest.mark.parametrize("alt_text", ["", "   \n"])
def test_a_photo_without_alt_text_is_refused_and_leaves_no_file(centre, settings, alt_text):
    with pytest.raises(ValidationError) as refused:
        add_centre_photo(
            centre=centre, upload=upload("zale.jpg", image_bytes("JPEG")), alt_text=alt_text
        )

    assert refused.value.message_dict == {"alt_text": ["Šis lauks nevar būt tukšs."]}
    assert list(CentrePhoto.objects.all()) == []
    assert stored_files(settings) == []


# --- The public page ------------------------------------------------------------------------


def test_the_public_page_shows_the_cached_thumbnail_and_escapes_alt_text_and_caption(
    centre, client, settings
):
    photo = add_centre_photo(
        centre=centre,
        upload=upload("zale.jpg", image_bytes("JPEG")),
        alt_text='<script>alert("alt")</script>',
        caption="<script>alert('paraksts')</script> & <b>zāle</b>",
    )
    files_after_upload = stored_files(settings)

    first = client.get("/centri/preili/")
    second = client.get("/centri/preili/")

    html = first.content.decode()
    assert (first.status_code, second.status_code) == (200, 200)
    assert (
        f'<a href="/media/{photo.image.name}"><img src="/media/{photo.thumbnail.name}" '
        'alt="&lt;script&gt;alert(&quot;alt&quot;)&lt;/script&gt;" width="360" height="240" '
        'loading="lazy"></a>'
    ) in html
    assert (
        "<figcaption>&lt;script&gt;alert(&#x27;paraksts&#x27;)&lt;/script&gt; &amp; "
        "&lt;b&gt;zāle&lt;/b&gt;</figcaption>"
    ) in html
    assert ('alert("alt")</script>' in html, "<b>zāle</b>" in html) == (False, False)
    # The thumbnail was made once, at upload: showing the page writes nothing.
    assert stored_files(settings) == files_after_upload


def test_files_written_for_a_photo_the_database_refuses_are_removed(centre, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("savienojums pārtrūka")

    monkeypatch.setattr(CentrePhoto, "save", refuse)

    with pytest.raises(DatabaseError):
        add_centre_photo(
            centre=centre, upload=upload("zale.jpg", image_bytes("JPEG")), alt_text="Zāle"
        )

    assert stored_files(settings) == []


# --- The same re-encoder for application attachments -------------------------------------------


def test_an_attachment_that_would_decode_past_the_pixel_limit_is_refused_before_decoding():
    from grants.uploads import check_attachment

    bomb = upload("plans.png", png_claiming_size(9200, 9200))

    with pytest.raises(ValidationError) as refused:
        check_attachment(bomb)

    assert (refused.value.code, refused.value.messages) == (
        "too_many_pixels",
        ["Attēls „plans.png” ir pārāk liels: atļauti ne vairāk kā 40 megapikseļi."],
    )


def test_an_attachment_image_is_re_encoded_without_its_metadata_by_the_one_re_encoder():
    from grants.uploads import check_attachment, storable

    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    exif[ExifTags.Base.Make] = "Tālrunis"
    photo = upload("talka.jpg", image_bytes("JPEG", size=(320, 200), exif=exif))

    kind = check_attachment(photo)
    stored = Image.open(io.BytesIO(storable(photo, kind).read()))

    assert (kind, stored.format, stored.size, dict(stored.getexif())) == (
        "image/jpeg",
        "JPEG",
        (320, 200),
        {},
    )
