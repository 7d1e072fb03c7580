"""Checking and re-encoding uploaded photos (DESIGN §8 security, issue photo rules).

A photo is accepted only when Pillow decodes all of it as JPEG, PNG or WebP, within the size
and pixel limits. It is then re-encoded from its pixels alone, which drops EXIF (with any GPS
position) and every other embedded chunk, and a thumbnail is made once, at upload. Both are
stored under random names: the uploader's file name ("Jāņa mājas 2024.jpg") would otherwise be
part of a public URL.

Decoded, a 40-megapixel photo takes 160 MB (Pillow keeps 4 bytes a pixel), so the code keeps
at most two full-size copies alive at once (the decoded upload and its pixel-only rebuild),
frees the upload before encoding, and makes the thumbnail straight from the rebuild.
"""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZE = (360, 240)
SIXTEEN_BIT_GREY_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N"}
# Many phone cameras write JPEG files with a Multi-Picture extension, which Pillow names MPO;
# its first picture is an ordinary JPEG and the one kept.
FORMAT_ALIASES = {"MPO": "JPEG"}


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("Attēls ir pārāk liels: atļauti ne vairāk kā %(limit)s megapikseļi.")
        % {"limit": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _human_megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}".replace(".", ",")


def _format(image: Image.Image) -> str | None:
    return FORMAT_ALIASES.get(image.format, image.format)


def _open_checked(upload) -> Image.Image:
    max_bytes = settings.PHOTO_MAX_BYTES
    max_pixels = settings.PHOTO_MAX_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("Fails ir pārāk liels: atļauti ne vairāk kā %(limit)s MB.")
            % {"limit": _human_megabytes(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        # Image.open reads only the header, so the pixel limit is checked before any
        # decompression: a small file that would expand to gigabytes is never decoded. Past
        # twice Pillow's own limit, Image.open itself refuses with DecompressionBombError.
        image = Image.open(upload)
        if _format(image) not in ALLOWED_FORMATS:
            raise ValidationError(_("Atļauti tikai JPEG, PNG vai WebP attēli."), code="format")
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        image.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _(
                "Failu neizdevās nolasīt kā attēlu. Augšupielādējiet veselu JPEG, PNG vai "
                "WebP attēlu."
            ),
            code="invalid_image",
        ) from None
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


def _encode(image: Image.Image, fmt: str) -> bytes:
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


def process_photo(upload) -> ProcessedPhoto:
    """Validate an uploaded file and return the clean photo and its thumbnail.

    Raises ValidationError with a Latvian message when the file is not an acceptable photo.
    """
    image = _open_checked(upload)
    try:
        fmt = _format(image)
        # Turn the pixels upright as the camera meant (in place: no copy when already upright),
        # then rebuild the image from pixels only, which leaves every metadata chunk behind.
        ImageOps.exif_transpose(image, in_place=True)
        pixels = _to_storable_mode(image, fmt)
        if pixels is not image:
            image.close()  # a converted copy replaces the upload's pixels: free those first
        clean = Image.new(pixels.mode, pixels.size)
        clean.paste(pixels)
        del pixels
    finally:
        # Frees the decoded upload now rather than when this function returns, so encoding
        # the photo does not need a third full-size buffer on top of two live copies.
        image.close()

    # Random names: the uploader's file name never reaches the public URL. The photo and its
    # thumbnail share the token, which helps whoever looks at the media folder.
    token = secrets.token_hex(8)
    photo = ContentFile(_encode(clean, fmt), name=f"{token}.{ALLOWED_FORMATS[fmt]}")
    thumbnail = ContentFile(_encode(_thumbnail(clean), "JPEG"), name=f"{token}-thumb.jpg")
    return ProcessedPhoto(image=photo, thumbnail=thumbnail, width=clean.width, height=clean.height)
