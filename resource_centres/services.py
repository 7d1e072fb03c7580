"""Writes of the resource centres app."""

from django.db import transaction

from .images import ProcessedPhoto, process_photo
from .models import CentrePhoto, ResourceCentre


def store_photo(*, photo: CentrePhoto, processed: ProcessedPhoto) -> CentrePhoto:
    """Attach an already checked photo and its thumbnail to a (possibly new) CentrePhoto."""
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
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    return photo


@transaction.atomic
def add_centre_photo(
    *, centre: ResourceCentre, upload, alt_text: str, caption: str = "", order: int = 0
) -> CentrePhoto:
    """Check an upload (raises ValidationError in Latvian) and save it as a centre photo."""
    processed = process_photo(upload)
    # Blank alt text is no alt text: a screen reader would read nothing.
    photo = CentrePhoto(
        centre=centre, alt_text=alt_text.strip(), caption=caption.strip(), order=order
    )
    return store_photo(photo=photo, processed=processed)
