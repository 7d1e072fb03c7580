"""Debian's Chromium driven by Playwright (DESIGN §10): one browser for all browser tests.

Playwright's own browser download does not work here, so the tests use /usr/bin/chromium
(`apt-get install chromium`). Without it they are skipped on a developer's machine and fail in
CI, where a silently skipped browser test would hide a broken page.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import override_settings
from django.test.testcases import LiveServerThread

from communities.latgale import read_latgale_data
from communities.services import load_latgale

# The permission matrix's people and the objects its paths name, for tests of every page.
from tests.test_permission_matrix import people, placeholders  # noqa: F401

# Playwright's sync API keeps an asyncio loop running in this thread while the browser is open,
# and Django refuses ORM calls from a thread with a running loop. The live server runs in its
# own thread; only this thread's fixtures (loading data, flushing the database) need this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Map tiles come from the internet; the tests never need them and the sandbox has no network.
TILE_URLS = "https://tile.openstreetmap.org/**"


class OneQueryAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time while it shares a database connection.

    On SQLite the test database lives in memory, so every request thread is handed the test
    thread's one connection (Django's connections_override). A page that asks for two photos at
    once then ran two queries on that connection at the same moment, and one of them came back
    empty: a 404 that no visitor would ever see. Connections of their own (PostgreSQL) keep the
    requests concurrent, as in production."""

    _lock = threading.Lock()

    def get_app(self):
        app = super().get_app()
        if not self.connections_override:
            return app

        def one_at_a_time(environ, start_response):
            with self._lock:
                # The body is read inside the lock too (a streamed file is read lazily), and
                # the response closed there, which is when Django sends request_finished.
                response = app(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return one_at_a_time


LiveServerThread.server_class = OneQueryAtATimeServer


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for the whole tests/browser package.

    Package, not session, scope: the running Playwright loop must be gone before the rest of
    the suite runs, or every later ORM call in this thread would see an event loop.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]').")
    if not (shutil.which(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, django_test_environment) -> Path:
    """The static files as `collectstatic` leaves them in production: hashed names, and
    stylesheets whose url()s point to the hashed images."""
    root = tmp_path_factory.mktemp("collected-static")
    storages = {"staticfiles": {"BACKEND": MANIFEST_STORAGE, "OPTIONS": {"location": root}}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def hashed_static(settings, collected_static) -> None:
    """Pages name their static files as production does (`make serve`): a test of what a page
    asks its site for then sees what a visitor's browser would, hashed names and all.

    The live server serves static files through the finders, so they look in the collected
    folder only."""
    settings.STATIC_ROOT = collected_static
    settings.STATICFILES_DIRS = [collected_static]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST_STORAGE, "OPTIONS": {"location": collected_static}},
    }


@pytest.fixture
def latgale_live(live_server):
    """The live server with the real Latgale data (transactional database)."""
    load_latgale(data=read_latgale_data())
    return live_server


class PageWatch:
    """What the page said on the console that our own code is responsible for."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.csp: list[str] = []

    def on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text:
            self.csp.append(text)
        elif message.type == "error" and not message.location.get("url", "").startswith(
            "https://tile.openstreetmap.org/"
        ):
            self.errors.append(f"{text} ({message.location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def page_watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def new_page(browser, page_watch):
    """Open a Latvian page of the given width; tiles are refused as if offline."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900, javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="lv-LV",
            reduced_motion="reduce",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        context.route(TILE_URLS, lambda route: route.abort())
        page = context.new_page()
        page.on("console", page_watch.on_console)
        page.on("pageerror", page_watch.on_page_error)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def wait_for_focus(page, element_id: str) -> None:
    """`autofocus` moves focus at the rendering step after the load, not with it; a loaded CI
    machine reaches the test's next line first. Waits for it; an element that never takes focus
    fails here after 5 s."""
    page.wait_for_function(
        "(id) => document.activeElement && document.activeElement.id === id",
        arg=element_id,
        timeout=5000,
    )
