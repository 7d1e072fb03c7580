import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import translation

from communities.services import load_latgale, read_latgale_data


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files of one test never leak into another, nor into the repository.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /en/ leaves English active in the thread; the next test starts in Latvian
    # (LANGUAGE_CODE), whatever ran before it on the same worker.
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def latgale(db):
    """The real Latgale data, as `manage.py load_latgale` loads it."""
    return load_latgale(data=read_latgale_data())


@pytest.fixture
def roles(transactional_db):
    """The role groups for tests on a flushed database (flushing drops the migration's rows)."""
    for migration in (
        "communities.migrations.0002_roles",
        "communities.migrations.0004_events",
        "grants.migrations.0002_roles",
    ):
        importlib.import_module(migration).grant_roles(Group, Permission)
