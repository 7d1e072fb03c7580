import pytest
from django.core.files.storage import FileSystemStorage

from grants.models import Attachment


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Attachments of one test land in its own folder, never in the repository.

    Attachment.file resolved its storage callable when the model was imported, so the field's
    storage is swapped too, not only STORAGES["private"].
    """
    location = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location}},
    }
    storage = FileSystemStorage(location=location)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage
