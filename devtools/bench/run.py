"""`make bench`: every public page against the budgets of DESIGN §8, on national-scale data,
and the admin pages DESIGN §8 and issue 4 give a budget of their own (a round's ranking, its
XLSX and CSV exports, with their peak memory), measured for the coordinator bench_data makes.

Run as `python -m devtools.bench`. It never touches the developer's database: it uses its own
SQLite file in bench-data/ (gitignored), or the PostgreSQL database named by BENCH_DATABASE_URL.
Settings are the production ones (debug off) except for static files, which are read from the
sources, so no collectstatic is needed. The output is a report; the exit status is always 0.
What is measured is in `pages`, how in `measure`. BENCH_ONLY=<text> measures only the pages whose
URL name holds that text, or one of several separated by commas (e.g. BENCH_ONLY=capacity, or
BENCH_ONLY=home,search,:list for the search and the lists beside the home page, to compare pages
measured within a minute of each other), and skips the exports and uploads.
"""

import os
import resource
import secrets
import sys
import time
import warnings
from io import StringIO
from pathlib import Path

from .exports import measure_exports
from .measure import WARMUP, Result, client_for, measure, report
from .pages import PAGES, REPEATS, Page, unmeasured_url_names
from .uploads import measure_uploads

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BENCH_SQLITE = BASE_DIR / "bench-data" / "bench.sqlite3"
SCALE = 1.0


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names when it does not exist yet (the bench and
    the load script each fill a database of their own; nothing else is created)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    params = {
        "dbname": "postgres",
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            sys.stdout.write(f"Created the database {name}.\n")


def _configure_environment() -> str:
    """Point Django at the bench database before it reads its settings; returns a description."""
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not url:
        BENCH_SQLITE.parent.mkdir(exist_ok=True)
        url = f"sqlite:///{BENCH_SQLITE}"
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kopienas.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # The test client's host name, next to the usual local ones.
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # The render of every page, as a visitor meets it when the page cache misses (after a
    # change); the cache's own hits are measured by `make load`.
    os.environ["DJANGO_PAGE_CACHE"] = "0"
    return url


def prepare_data(out) -> None:
    from django.core.management import call_command

    from communities.latgale import read_latgale_data
    from communities.services import load_latgale

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_latgale(data=read_latgale_data())
    log = StringIO()
    call_command("bench_data", "--scale", str(SCALE), stdout=log)
    out.write(log.getvalue())
    settle()


def settle() -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the database after the bulk load, as autovacuum does to a
    database in use: until a GIN index is vacuumed, its pending list and stale entry counts make
    the planner price it far too high (the search's trigram index of initiatives lost to a
    sequential scan of all 10,000 rows, 8 ms against 0.05). ANALYZE alone, which bench_data
    runs in its transaction, does not update them. Quick once the tables are settled."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def data_summary() -> str:
    from communities.models import Community, Membership
    from events.models import Event, Registration
    from grants.models import Application, GrantRound
    from resource_centres.booking_models import Booking
    from resource_centres.models import Equipment, ResourceCentre

    counts = {
        "centres": ResourceCentre.objects.count(),
        "equipment": Equipment.objects.count(),
        "communities": Community.objects.count(),
        "memberships": Membership.objects.count(),
        "grant rounds": GrantRound.objects.count(),
        "applications": Application.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "bookings": Booking.objects.count(),
    }
    return ", ".join(f"{count:,} {name}".replace(",", " ") for name, count in counts.items())


def chosen_pages(only: str) -> list:
    """The pages BENCH_ONLY names (module docstring); all of them when it is empty."""
    parts = [part.strip() for part in only.split(",") if part.strip()]
    if not parts:
        return list(PAGES)
    return [page for page in PAGES if any(part in page.url_name for part in parts)]


def measured(page: Page) -> Result:
    """The page measured; a signed-in page's row names whose it is (two people's /mans/ share
    one path)."""
    result = measure(
        client_for(page),
        page.url(),
        budget_ms=page.budget_ms,
        max_queries=page.max_queries,
        max_weight_kb=page.max_weight_kb,
        repeats=page.repeats,
    )
    if page.user:
        result.url = f"{result.url} ({page.user})"
    return result


def main() -> int:
    out = sys.stdout
    started = time.perf_counter()
    url = _configure_environment()

    import django

    django.setup()

    from django.conf import settings
    from django.test.utils import override_settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    shown = url if engine == "sqlite3" else url.split("@")[-1]
    out.write(f"Database: {engine} ({shown})\n")
    prepare_data(out)
    out.write(f"Data: {data_summary()}\n")
    out.write(
        f"Timing: median and p95 of {REPEATS} requests (admin pages: fewer) after {WARMUP} "
        "warm-up requests; a budget other than the public pages' is shown in brackets\n\n"
    )

    # Whitenoise's manifest storage needs collectstatic; the sources give the same files.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Blank names dropped: "BENCH_ONLY= , " measures everything, exports and uploads included.
    only = ",".join(
        part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()
    )
    chosen = chosen_pages(only)
    with override_settings(STORAGES=storages), warnings.catch_warnings():
        # Whitenoise warns once when STATIC_ROOT was never collected; pages do not need it here.
        warnings.filterwarnings("ignore", message="No directory at")
        results = [measured(page) for page in chosen]
        over = report(results, out)
    # The bench itself keeps one CPU busy; more runnable processes than CPUs means contention.
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        out.write(
            f"Note: load average {load:.1f} on {os.cpu_count()} CPUs while measuring; other "
            "processes inflate the timings, so run again on a quieter machine before acting.\n"
        )

    if only:
        out.write(
            f"BENCH_ONLY={only}: {len(chosen)} of {len(PAGES)} pages, no exports, no uploads\n"
        )
    else:
        measure_exports(out)
        measure_uploads(out)

    for name in unmeasured_url_names():
        out.write(f"not measured (add it to PAGES in devtools/bench/pages.py): {name}\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(
        f"\nPeak memory (max RSS): {peak_mb:.0f} MB; "
        f"total time: {time.perf_counter() - started:.0f} s\n"
    )
    out.write("All pages within budget\n" if not over else f"{over} page(s) over budget\n")
    return 0
