import pytest

from grants.models import Attachment


@pytest.fixture
def private_storage():
    """Where attachments land in a test: tests/conftest.py points it at the test's tmp_path."""
    return Attachment._meta.get_field("file").storage
