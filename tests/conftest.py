import importlib
import os

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


def pytest_itemcollected(item):
    """Browser tests run on one xdist worker (`--dist loadgroup`): one Chromium for them all,
    and the rest of the suite spread over the other workers meanwhile. Tests that need Redis
    run on one worker too: they share one Redis, and one test's flush would otherwise empty
    another's counts and pages in the middle of it. Marked as each test is collected, before
    any `pytest_collection_modifyitems`, where xdist reads the groups."""
    if item.get_closest_marker("browser") is not None:
        item.add_marker(pytest.mark.xdist_group("browser"))
    elif item.get_closest_marker("redis") is not None:
        item.add_marker(pytest.mark.xdist_group("redis"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On an xdist worker with `--dist loadgroup`, a grouped test's id carries its group
    ("…@browser"): that is how the scheduler keeps a group on one worker. A pytest or xdist
    release that loses it (pytest-dev/pytest-xdist#1386) stops the run here instead of
    spreading the groups silently."""
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [
        item.nodeid
        for item in items
        if item.get_closest_marker("xdist_group") is not None and "@" not in item.nodeid
    ]
    if lost:
        raise pytest.UsageError(
            f"xdist ignored the xdist_group marks of {len(lost)} tests (first: {lost[0]}): "
            "pin pytest and pytest-xdist to versions that keep them (pyproject.toml)"
        )


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
