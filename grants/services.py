"""Every write to grant rounds and applications (DESIGN §3)."""

from django.db import transaction

from .models import Application, Attachment


def _delete_files(paths: list[tuple[object, str]]) -> None:
    for storage, name in paths:
        storage.delete(name)


def forget_applicant(*, user) -> None:
    """On account deletion: drafts go with their files; submitted applications stay for the
    round's records with the applicant removed (DESIGN §4, issue 3)."""
    with transaction.atomic():
        drafts = Application.objects.filter(applicant=user, status=Application.Status.DRAFT)
        files = [
            (attachment.file.storage, attachment.file.name)
            for attachment in Attachment.objects.filter(application__in=drafts)
        ]
        drafts.delete()
        Application.objects.filter(applicant=user).update(applicant=None)
        transaction.on_commit(lambda: _delete_files(files))
