import fcntl
import importlib
import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import translation

from communities.latgale import read_latgale_data
from communities.services import load_latgale
from grants.models import Attachment
from initiatives.models import ReportPhoto, ReportReceipt
from tests.factories import staff

# One lock for the whole machine: the tests that use Redis share one server whichever xdist
# worker runs them.
REDIS_LOCK = Path(tempfile.gettempdir()) / "kopienas-tests-redis.lock"


@pytest.fixture(autouse=True)
def _one_redis_test_at_a_time(request):
    """Tests marked `redis` share one Redis server and empty its databases (the two app servers'
    cache, the rate limits, an outage's recovery): one at a time across the xdist workers, or
    one worker's flush would empty another's counts and pages in the middle of its test.
    Autouse, so it is set up before the test's own fixtures and released after them."""
    if request.node.get_closest_marker("redis") is None:
        yield
        return
    with REDIS_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` need real row locks and constraints. On SQLite they are skipped
    on a developer's machine; in CI (CI set) that is a failure, so a missing PostgreSQL can never
    pass silently. CI's SQLite run deselects them instead: `-m "not postgres"` (.ci/run)."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL, the database is {connection.vendor}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (in CI, set DATABASE_URL to a PostgreSQL database)")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files of one test never leak into another, nor into the repository.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path, monkeypatch):
    # Application attachments and a final report's receipts and photos too. Their file fields
    # resolved their storage when the models were imported, so each field's storage is swapped
    # as well as STORAGES["private"].
    location = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = location
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location}},
    }
    storage = FileSystemStorage(location=location)
    for model, name in (
        (Attachment, "file"),
        (ReportReceipt, "file"),
        (ReportPhoto, "image"),
        (ReportPhoto, "thumbnail"),
    ):
        monkeypatch.setattr(model._meta.get_field(name), "storage", storage)


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
        "communities.migrations.0009_capacity_roles",
        "communities.migrations.0011_membership_history_roles",
        "events.migrations.0001_initial",
        "grants.migrations.0002_roles",
        "grants.migrations.0004_assessment_roles",
        "initiatives.migrations.0002_roles",
        "initiatives.migrations.0004_statuses_and_roles",
        "resource_centres.migrations.0004_opening_hours_roles",
        "resource_centres.migrations.0007_booking_roles",
        "core.migrations.0004_outbox_roles",
    ):
        importlib.import_module(migration).grant_roles(Group, Permission)


# --- Roles: one staff member of each group, with the second factor on ---------------------------


@pytest.fixture
def coordinator(db):
    return staff("Koordinatori")


@pytest.fixture
def assessor(db):
    return staff("Vērtētāji")
