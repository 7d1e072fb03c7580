"""The one way an uploaded image is checked and re-encoded: centre photos, event pictures and
application attachments alike (DESIGN §8 security).

An image is accepted only when Pillow reads its header as an allowed format within the size
and pixel limits, and then decodes all of it. The pixel limit is checked on the header, before
any decompression, so a small file that would expand to gigabytes (a "decompression bomb") is
never decoded. The image is then rebuilt from its pixels alone, which drops EXIF (with any GPS
position of the phone that took it) and every other embedded chunk.

Decoded, a 40-megapixel photo takes 160 MB (Pillow keeps 4 bytes a pixel), so the code keeps at
most two full-size copies alive at once (the decoded upload and its pixel-only rebuild) and frees
the upload before encoding.
"""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (360, 240)
SIXTEEN_BIT_GREY_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
# Many phone cameras write JPEG files with a Multi-Picture extension, which Pillow names MPO;
# its first picture is an ordinary JPEG and the one kept.
FORMAT_ALIASES = {"MPO": "JPEG"}
READ_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def too_many_pixels(max_pixels: int) -> ValidationError:
    limit = max_pixels // 1_000_000
    return ValidationError(
        ngettext(
            "Attēls ir pārāk liels: atļauts ne vairāk kā %(limit)s megapikselis.",
            "Attēls ir pārāk liels: atļauti ne vairāk kā %(limit)s megapikseļi.",
            limit,
        )
        % {"limit": limit},
        code="too_many_pixels",
    )


def _human_megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}".replace(".", ",")


def image_format(image: Image.Image) -> str | None:
    return FORMAT_ALIASES.get(image.format, image.format)


def _unreadable() -> ValidationError:
    return ValidationError(
        _("Failu neizdevās nolasīt kā attēlu. Augšupielādējiet veselu JPEG, PNG vai WebP attēlu."),
        code="invalid_image",
    )


class _Lent:
    """The caller's file as Pillow sees it: Image.close() closes the file it was given, and the
    upload belongs to the caller (who may still read, store or report it)."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self) -> None:
        pass


def _opened(upload, *, formats: dict[str, str], max_pixels: int) -> Image.Image:
    """The upload opened (its header read, nothing decoded) once it shows an allowed format
    within `max_pixels`."""
    upload.seek(0)
    try:
        # Image.open reads only the header, so the pixel limit is checked before any
        # decompression. Past twice Pillow's own limit, Image.open itself refuses with
        # DecompressionBombError.
        image = Image.open(_Lent(upload))
    except Image.DecompressionBombError:
        raise too_many_pixels(max_pixels) from None
    except READ_ERRORS:
        raise _unreadable() from None
    if image_format(image) not in formats:
        image.close()
        raise ValidationError(_("Atļauti tikai JPEG, PNG vai WebP attēli."), code="format")
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise too_many_pixels(max_pixels)
    return image


def checked_format(upload, *, formats: dict[str, str], max_pixels: int) -> str:
    """The format of an acceptable image, checked without decoding its pixels.

    Raises ValidationError with the code "format", "too_many_pixels" or "invalid_image".
    """
    image = _opened(upload, formats=formats, max_pixels=max_pixels)
    try:
        fmt = image_format(image)
        image.verify()
    except READ_ERRORS:
        raise _unreadable() from None
    finally:
        image.close()
        upload.seek(0)
    return fmt


def open_checked(upload, *, formats: dict[str, str], max_pixels: int) -> Image.Image:
    """The upload decoded, once its header shows an allowed format within `max_pixels`.

    Raises ValidationError with the code "format", "too_many_pixels" or "invalid_image".
    """
    image = _opened(upload, formats=formats, max_pixels=max_pixels)
    try:
        image.load()
    except READ_ERRORS:
        image.close()
        raise _unreadable() from None
    return image


def _to_storable_mode(image: Image.Image, fmt: str) -> Image.Image:
    """An 8-bit L, LA, RGB or RGBA image that keeps what the upload showed.

    Returns the image itself when it is already storable: every conversion is a full-size copy.
    """
    if image.mode in SIXTEEN_BIT_GREY_MODES:
        # A plain convert() clips 16-bit values at 255 and turns the photo white; scale instead.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if fmt == "JPEG":
        return image if image.mode == "RGB" else image.convert("RGB")
    if image.mode not in {"RGB", "RGBA", "L", "LA"} or "transparency" in image.info:
        # A palette or tRNS transparency lives in `info`, which the pixel copy drops: keep it
        # as an alpha channel, so a transparent logo does not turn black.
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    return image


def pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """The decoded `image` rebuilt from its pixels alone, upright as the camera meant.

    Closes `image`: at most two full-size copies are alive at any moment.
    """
    try:
        # In place: no copy when the photo is already upright.
        ImageOps.exif_transpose(image, in_place=True)
        pixels = _to_storable_mode(image, fmt)
        if pixels is not image:
            image.close()  # a converted copy replaces the upload's pixels: free those first
        clean = Image.new(pixels.mode, pixels.size)
        clean.paste(pixels)
        pixels.close()
        del pixels
    finally:
        image.close()
    return clean


def encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        # Not optimize=True: on a 40-megapixel photo it took minutes, far past a request's
        # time, where the default compression takes seconds for a somewhat larger file.
        image.save(buffer, "PNG")
    else:
        image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()


def reencoded(upload, *, formats: dict[str, str], max_pixels: int) -> tuple[bytes, str]:
    """The upload's pixels encoded afresh in their own format, and that format's name."""
    image = open_checked(upload, formats=formats, max_pixels=max_pixels)
    fmt = image_format(image)
    clean = pixels_only(image, fmt)
    try:
        return encode(clean, fmt), fmt
    finally:
        clean.close()


def _thumbnail(image: Image.Image) -> Image.Image:
    """The cropped JPEG-ready thumbnail, with transparent parts on white rather than black.

    Resized before it is flattened, so an opaque photo gets no full-size copy for this.
    """
    small = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    if "A" not in small.getbands():
        return small if small.mode == "RGB" else small.convert("RGB")
    rgba = small.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def process_photo(upload) -> ProcessedPhoto:
    """Validate an uploaded photo and return it clean, with its thumbnail.

    Raises ValidationError with a Latvian message when the file is not an acceptable photo.
    """
    max_bytes = settings.PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("Fails ir pārāk liels: atļauti ne vairāk kā %(limit)s MB.")
            % {"limit": _human_megabytes(max_bytes)},
            code="too_large",
        )
    image = open_checked(upload, formats=PHOTO_FORMATS, max_pixels=settings.PHOTO_MAX_PIXELS)
    fmt = image_format(image)
    clean = pixels_only(image, fmt)
    # Random names: the uploader's file name never reaches the public URL. The photo and its
    # thumbnail share the token, which helps whoever looks at the media folder.
    token = secrets.token_hex(8)
    try:
        photo = ContentFile(encode(clean, fmt), name=f"{token}.{PHOTO_FORMATS[fmt]}")
        thumbnail = ContentFile(encode(_thumbnail(clean), "JPEG"), name=f"{token}-thumb.jpg")
        return ProcessedPhoto(
            image=photo, thumbnail=thumbnail, width=clean.width, height=clean.height
        )
    finally:
        clean.close()
