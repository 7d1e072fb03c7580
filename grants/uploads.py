"""Checking application attachments by their content (DESIGN §8 security, issue 3).

A file is accepted as PDF only when it starts with a PDF header and ends with an end-of-file
marker, and as JPEG or PNG only when Pillow recognises and verifies it within the photos' pixel
limit; its name and the browser's stated type count for nothing, so a renamed program is
refused. Images are re-encoded by core.images, the one re-encoder, without their metadata (a
phone photo carries where it was taken). Accepted files are
stored under random names in the private storage: the applicant's file name is kept in the
row, for the download, and never becomes part of a path.
"""

import os
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import images

from .models import Attachment

PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
PDF_TAIL_BYTES = 2048
EXTENSIONS = {
    Attachment.Kind.PDF: "pdf",
    Attachment.Kind.JPEG: "jpg",
    Attachment.Kind.PNG: "png",
}
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}
IMAGE_KINDS = {"JPEG": Attachment.Kind.JPEG, "PNG": Attachment.Kind.PNG}


def display_name(upload) -> str:
    """The uploader's file name without any folder part, as shown back to them."""
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()
    return (name or _("bez nosaukuma"))[:255]


def check_attachment(upload) -> str:
    """The attachment's content type, or ValidationError naming the file in Latvian."""
    name = display_name(upload)
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("Datne „%(name)s” ir par lielu: atļauts ne vairāk kā %(limit)s.")
            % {"name": name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Datne „%(name)s” ir tukša.") % {"name": name}, code="empty")
    kind = _pdf_kind(upload) or _image_kind(upload, name)
    upload.seek(0)
    if kind is None:
        raise _not_accepted(name)
    return kind


def _not_accepted(name: str) -> ValidationError:
    return ValidationError(
        _("Datni „%(name)s” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG attēls.")
        % {"name": name},
        code="format",
    )


def _pdf_kind(upload) -> str | None:
    upload.seek(0)
    if not PDF_HEADER.match(upload.read(16)):
        return None
    upload.seek(max(upload.size - PDF_TAIL_BYTES, 0))
    tail = upload.read()
    # A PDF ends with its cross-reference trailer and "%%EOF"; a file with a PDF header glued
    # onto something else does not.
    if b"%%EOF" not in tail or (b"trailer" not in tail and b"startxref" not in tail):
        return None
    return Attachment.Kind.PDF


def _image_kind(upload, name: str) -> str | None:
    try:
        fmt = images.checked_format(
            upload, formats=IMAGE_FORMATS, max_pixels=settings.PHOTO_MAX_PIXELS
        )
    except ValidationError as error:
        if error.code == "too_many_pixels":
            limit = settings.PHOTO_MAX_PIXELS // 1_000_000
            raise ValidationError(
                ngettext(
                    "Attēls „%(name)s” ir pārāk liels: atļauts ne vairāk kā %(limit)s "
                    "megapikselis.",
                    "Attēls „%(name)s” ir pārāk liels: atļauti ne vairāk kā %(limit)s megapikseļi.",
                    limit,
                )
                % {"name": name, "limit": limit},
                code="too_many_pixels",
            ) from None
        return None
    return IMAGE_KINDS[fmt]


def storable(upload, kind: str):
    """What is stored: a PDF as sent; an image re-encoded from its pixels alone, which drops
    EXIF (with any GPS position of the phone that took it) and every other embedded chunk."""
    upload.seek(0)
    if kind == Attachment.Kind.PDF:
        return File(upload)
    try:
        content, _fmt = images.reencoded(
            upload, formats=IMAGE_FORMATS, max_pixels=settings.PHOTO_MAX_PIXELS
        )
    except ValidationError:
        # Its header and checksums were sound, yet its pixels do not decode (cut short).
        raise _not_accepted(display_name(upload)) from None
    return ContentFile(content)


def storage_name(kind: str) -> str:
    return f"{secrets.token_urlsafe(18)}.{EXTENSIONS[kind]}"
