"""Writes of the resource centres app."""

from django.db import transaction

from .images import ProcessedPhoto, process_photo
from .models import CentrePhoto, ResourceCentre


def store_photo(*, photo: CentrePhoto, processed: ProcessedPhoto) -> CentrePhoto:
    """Attach an already checked photo and its thumbnail to a (possibly new) CentrePhoto."""
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    photo.width = processed.width
    photo.height = processed.height
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def add_centre_photo(
    *, centre: ResourceCentre, upload, alt_text: str, caption: str = "", order: int = 0
) -> CentrePhoto:
    """Check an upload (raises ValidationError in Latvian) and save it as a centre photo."""
    processed = process_photo(upload)
    photo = CentrePhoto(centre=centre, alt_text=alt_text, caption=caption, order=order)
    return store_photo(photo=photo, processed=processed)
