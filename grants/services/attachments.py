"""An application's attachments: each upload checked by its content (grants.uploads) and
stored in the private storage, removals, and the files a rolled-back transaction left behind."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from .. import uploads
from ..models import Application, Attachment


def delete_attachments(application: Application, pks: list[int]) -> None:
    if not pks:
        return
    doomed = list(application.attachments.filter(pk__in=pks))
    files = [(attachment.file.storage, attachment.file.name) for attachment in doomed]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in doomed]).delete()
    transaction.on_commit(lambda: delete_files(files))


def store_uploads(
    application: Application, uploads_: list, stored: list[str], created: list | None = None
) -> list[str]:
    """Check and store each upload; `created` collects the new rows, should a caller need them
    after a rollback."""
    errors: list[str] = []
    count = application.attachments.count()
    limit = settings.ATTACHMENT_MAX_FILES
    for upload in uploads_:
        name = uploads.display_name(upload)
        if count >= limit:
            errors.append(limit_message(name, limit))
            continue
        try:
            kind = uploads.check_attachment(upload)
            content = uploads.storable(upload, kind)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        attachment = Attachment(
            application=application, original_name=name, content_type=kind, size=content.size
        )
        attachment.file.save(uploads.storage_name(kind), content, save=False)
        stored.append(attachment.file.name)
        attachment.save()
        if created is not None:
            created.append(attachment)
        count += 1
    return errors


def limit_message(name: str, limit: int) -> str:
    return ngettext(
        "Datne „%(name)s” netika pievienota: pieteikumam var būt ne vairāk kā %(limit)s pielikums.",
        "Datne „%(name)s” netika pievienota: pieteikumam var būt ne vairāk kā %(limit)s pielikumi.",
        limit,
    ) % {"name": name, "limit": limit}


def delete_stored(names: list[str]) -> None:
    """Files stored by a transaction that rolled back belong to no row: remove them."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def delete_files(paths: list[tuple[object, str]]) -> None:
    for storage, name in paths:
        storage.delete(name)
