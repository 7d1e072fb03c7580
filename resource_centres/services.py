"""Writes of the resource centres app."""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, time
from functools import partial

from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile

from core.images import ProcessedPhoto, process_photo

from .models import (
    CentrePhoto,
    OpeningException,
    ResourceCentre,
    WeeklyHours,
    overlap_error,
    overlapping_hours,
)

logger = logging.getLogger(__name__)


# --- Files that must follow their transaction -------------------------------------------------
#
# Storage is not transactional: a photo's files are written while its row is saved, inside the
# caller's transaction. Files of a row that is rolled back must go, and files a committed change
# replaced or deleted must go too, but only once the change is committed: before that, a
# rollback would leave rows pointing at missing files.


@dataclass
class _WrittenFile:
    storage: object
    name: str
    committed: bool = False


# The files written inside the innermost `discarding_photo_files_on_rollback` block.
_written_files: ContextVar[list[_WrittenFile] | None] = ContextVar(
    "resource_centres_written_files", default=None
)


def _delete_files(files: Iterable[tuple[object, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            # An orphaned file wastes space; failing the request over it would lose nothing less.
            logger.exception("Could not delete the photo file %s", name)


@contextmanager
def discarding_photo_files_on_rollback(using: str | None = None) -> Iterator[None]:
    """Delete the photo files written inside this block unless their transaction commits.

    Django runs `on_commit` callbacks only after a commit and has no hook for a rollback. So
    every written file registers an `on_commit` callback that marks it kept; when this block
    ends outside any transaction, a file still unmarked belongs to a transaction (or savepoint)
    that was rolled back, and is deleted. Put the block around the outermost `atomic`: a file
    whose transaction is still open when the block ends is handed to an enclosing block, or,
    without one, left in place.
    """
    outer = _written_files.get()
    written: list[_WrittenFile] = []
    token = _written_files.set(written)
    try:
        yield
    finally:
        _written_files.reset(token)
        still_open = transaction.get_connection(using).in_atomic_block
        undecided = [file for file in written if not file.committed]
        if still_open:
            if outer is not None:
                outer.extend(undecided)
        else:
            _delete_files((file.storage, file.name) for file in undecided)


def _track_written(field_file: FieldFile) -> None:
    file = _WrittenFile(storage=field_file.storage, name=field_file.name)
    transaction.on_commit(partial(setattr, file, "committed", True))
    written = _written_files.get()
    if written is not None:
        written.append(file)


def track_written_photo_files(*, files: Iterable[FieldFile]) -> None:
    """Have `discarding_photo_files_on_rollback` delete these new files unless they commit
    (for photos of other apps' models, such as events)."""
    for field_file in files:
        if field_file:
            _track_written(field_file)


def delete_photo_files(*, files: Iterable[FieldFile]) -> None:
    """Remove stored photo files (originals, thumbnails) whose rows are gone or replaced."""
    _delete_files((field_file.storage, field_file.name) for field_file in files if field_file)


def _delete_on_commit(files: Iterable[FieldFile]) -> None:
    files = [field_file for field_file in files if field_file]
    if files:
        # robust: the change is committed by then; a storage error is logged, not shown.
        transaction.on_commit(partial(delete_photo_files, files=files), robust=True)


# --- Photos -------------------------------------------------------------------------------------


def store_photo(*, photo: CentrePhoto, processed: ProcessedPhoto) -> CentrePhoto:
    """Attach an already checked photo and its thumbnail to a new or existing CentrePhoto.

    When the photo replaces an earlier image, the earlier files are deleted once the change is
    committed. Call it inside `discarding_photo_files_on_rollback` so that the new files are
    deleted if the caller's transaction is rolled back after this returns.
    """
    replaced = []
    if photo.pk is not None:
        # The instance may already hold the new upload (a ModelForm puts it there): the files
        # being replaced are the ones the database names.
        previous = CentrePhoto.objects.filter(pk=photo.pk).only("image", "thumbnail").first()
        if previous is not None:
            replaced = [previous.image, previous.thumbnail]
    photo.width = processed.width
    photo.height = processed.height
    # The typed fields are checked before any file is written, so a refused photo (no alt text)
    # leaves no orphaned files in storage.
    photo.full_clean(exclude=["image", "thumbnail"])
    written = []
    try:
        for field_file, content in [
            (photo.image, processed.image),
            (photo.thumbnail, processed.thumbnail),
        ]:
            field_file.save(content.name, content, save=False)
            written.append(field_file)
        photo.full_clean()
        photo.save()
    except Exception:
        delete_photo_files(files=written)
        raise
    for field_file in written:
        _track_written(field_file)
    new_names = {field_file.name for field_file in written}
    _delete_on_commit(field_file for field_file in replaced if field_file.name not in new_names)
    return photo


def add_centre_photo(
    *, centre: ResourceCentre, upload, alt_text: str, caption: str = "", order: int = 0
) -> CentrePhoto:
    """Check an upload (raises ValidationError in Latvian) and save it as a centre photo."""
    # Decoding and re-encoding take a while: done before the transaction opens.
    processed = process_photo(upload)
    # Blank alt text is no alt text: a screen reader would read nothing.
    photo = CentrePhoto(
        centre=centre, alt_text=alt_text.strip(), caption=caption.strip(), order=order
    )
    with discarding_photo_files_on_rollback(), transaction.atomic():
        return store_photo(photo=photo, processed=processed)


@transaction.atomic
def delete_centre_photo(*, photo: CentrePhoto) -> None:
    """Delete a photo; its original and thumbnail leave storage once the deletion commits."""
    files = [photo.image, photo.thumbnail]
    photo.delete()
    _delete_on_commit(files)


@transaction.atomic
def delete_centres(*, centres: QuerySet[ResourceCentre]) -> None:
    """Delete centres with everything of theirs, their photos' files once this commits."""
    photos = CentrePhoto.objects.filter(centre__in=centres).only("image", "thumbnail")
    files = [field_file for photo in photos for field_file in (photo.image, photo.thumbnail)]
    centres.delete()
    _delete_on_commit(files)


# --- Opening hours ------------------------------------------------------------------------------


def set_weekly_hours(
    *, centre: ResourceCentre, rows: Iterable[tuple[int, time, time]]
) -> list[WeeklyHours]:
    """Replace the centre's weekly hours with `rows`, each (weekday 0 = Monday, opens, closes).

    All or nothing: a row with closes not after opens, or two rows of a day that overlap, raise
    ValidationError (in Latvian) and leave the stored hours as they were. The centre's row is
    locked so that two replacements one after the other cannot interleave.
    """
    new = [
        WeeklyHours(centre=centre, weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in rows
    ]
    checks = [c for c in WeeklyHours._meta.constraints if isinstance(c, models.CheckConstraint)]
    for row in new:
        # The neighbours are checked together below, not against the rows being replaced, and
        # so is uniqueness (two rows of a day from one time overlap).
        row.checked_with_its_day = True
        row.full_clean(exclude=["centre"], validate_unique=False, validate_constraints=False)
        for constraint in checks:
            constraint.validate(WeeklyHours, row)
    pairs = overlapping_hours(new)
    if pairs:
        raise overlap_error(pairs)
    with transaction.atomic():
        ResourceCentre.objects.select_for_update().filter(pk=centre.pk).exists()
        WeeklyHours.objects.filter(centre=centre).delete()
        return WeeklyHours.objects.bulk_create(new)


@transaction.atomic
def set_opening_exception(
    *,
    centre: ResourceCentre,
    day: date,
    opens: time | None = None,
    closes: time | None = None,
    reason: str = "",
) -> OpeningException:
    """Say how the centre's `day` differs from its week: closed (no times) or these hours.
    Replaces what was said about that day before; raises ValidationError (in Latvian) for
    one time without the other or closing not after opening."""
    exception = OpeningException.objects.filter(centre=centre, date=day).first() or (
        OpeningException(centre=centre, date=day)
    )
    exception.opens, exception.closes, exception.reason = opens, closes, reason.strip()
    exception.full_clean(exclude=["centre"])
    exception.save()
    return exception
