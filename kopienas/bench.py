"""`make bench`: every public page against the budgets of DESIGN §8, on national-scale data,
and the admin pages DESIGN §8 and issue 4 give a budget of their own (a round's ranking, its
XLSX export), measured for the coordinator bench_data makes.

Run as `python -m kopienas.bench`. It never touches the developer's database: it uses its own
SQLite file in bench-data/ (gitignored), or the PostgreSQL database named by BENCH_DATABASE_URL.
Settings are the production ones (debug off) except for static files, which are read from the
sources, so no collectstatic is needed. The output is a report; the exit status is always 0.

A page is measured in-process with Django's test client: the number of queries of one request,
the median and 95th percentile of the server time over REPEATS requests after a warm-up, and
the page weight: gzip (level 6) of the HTML plus every stylesheet and script it references from
STATIC_URL.
"""

import gzip
import os
import resource
import secrets
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
# bench_data's coordinator (staff, Koordinatori, with an authenticator app): the admin pages'
# reader. Spelled out here: kopienas.management.commands.bench_data imports Django models.
BENCH_COORDINATOR = "bench-koordinators"
BENCH_SQLITE = BASE_DIR / "bench-data" / "bench.sqlite3"

MAX_QUERIES = 10
MAX_P50_MS = 30.0
MAX_WEIGHT_KB = 100.0
# Admin pages carry the admin's own reads (session, user, two-factor check, permissions,
# messages) on top of what they show; their ceiling is fixed all the same, whatever the number
# of rows. The weight budget is for public pages only.
ADMIN_MAX_QUERIES = 20
WARMUP = 5
REPEATS = 50
SCALE = 1.0


def _configure_environment() -> str:
    """Point Django at the bench database before it reads its settings; returns a description."""
    url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not url:
        BENCH_SQLITE.parent.mkdir(exist_ok=True)
        url = f"sqlite:///{BENCH_SQLITE}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kopienas.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # The test client's host name, next to the usual local ones.
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    return url


@dataclass
class Page:
    """A public page: a URL name, its arguments and query string, resolved against the data.

    `kwargs` and `query` may be callables, so a page can pick its object once the data exists.
    """

    url_name: str
    kwargs: Any = field(default_factory=dict)
    query: Any = ""
    language: str = "lv"
    # The username of the person the page is measured for; None measures it anonymously.
    user: str | None = None
    budget_ms: float = MAX_P50_MS
    max_queries: int = MAX_QUERIES
    # None: the size is reported but has no budget (admin pages, downloads).
    max_weight_kb: float | None = MAX_WEIGHT_KB
    # Fewer timed requests for slow pages keep the run short; the median stays meaningful.
    repeats: int = REPEATS

    def url(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        kwargs = self.kwargs() if callable(self.kwargs) else self.kwargs
        query = self.query() if callable(self.query) else self.query
        with translation.override(self.language):
            path = reverse(self.url_name, kwargs=kwargs)
        return f"{path}?{query}" if query else path


def _busiest_centre() -> dict[str, str]:
    """The centre with the most communities and equipment: the detail page's worst case."""
    from django.db.models import Count

    from resource_centres.selectors import published_centres

    centre = (
        published_centres()
        .annotate(
            n=Count("communities", distinct=True) + Count("equipment", distinct=True),
        )
        .order_by("-n", "slug")
        .first()
    )
    return {"slug": centre.slug}


def _busiest_community() -> dict[str, str]:
    from django.db.models import Count

    from communities.selectors import published_communities

    community = (
        published_communities()
        .annotate(n=Count("memberships") + Count("testimonials"))
        .order_by("-n", "slug")
        .first()
    )
    return {"slug": community.slug}


def _largest_municipality() -> str:
    from urllib.parse import urlencode

    from django.db.models import Count

    from resource_centres.selectors import published_centres

    row = (
        published_centres()
        .values("municipality")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality")
        .first()
    )
    return urlencode({"novads": row["municipality"]})


def _busiest_round() -> dict[str, str]:
    """The public round with the most applications and criteria."""
    from django.db.models import Count

    from grants.models import GrantRound

    grant_round = (
        GrantRound.objects.exclude(status=GrantRound.Status.DRAFT)
        .annotate(n=Count("applications", distinct=True) + Count("criteria", distinct=True))
        .order_by("-n", "slug")
        .first()
    )
    return {"slug": grant_round.slug}


def _busiest_event() -> dict[str, str]:
    """An upcoming event with the most registrations: the event page's worst case."""
    from django.utils import timezone

    from communities.selectors import published_events

    event = (
        published_events()
        .filter(starts_at__gt=timezone.now())
        .order_by("-seats_confirmed", "starts_at", "pk")
        .first()
    )
    return {"slug": event.slug}


def _assessed_round() -> dict[str, int]:
    """The round with the most assessments: bench_data's 1,000 applications × 5 assessors."""
    from django.db.models import Count

    from grants.models import GrantRound

    grant_round = (
        GrantRound.objects.annotate(n=Count("applications__assessments"))
        .order_by("-n", "slug")
        .first()
    )
    return {"pk": grant_round.pk}


def _published_round() -> dict[str, str]:
    """The published round with the most supported ideas on its results page."""
    from django.db.models import Count, Q

    from grants.models import Application, GrantRound

    supported = Q(applications__notified_decision=Application.Decision.SUPPORTED)
    grant_round = (
        GrantRound.objects.filter(status=GrantRound.Status.RESULTS)
        .annotate(n=Count("applications", filter=supported))
        .order_by("-n", "slug")
        .first()
    )
    return {"slug": grant_round.slug}


def _busiest_centre_filter() -> str:
    from urllib.parse import urlencode

    return urlencode({"centrs": _busiest_centre()["slug"], "brivas": "on"})


# Every public page. A new page is one line here; URL names not listed here and not in
# NOT_PAGES are printed as "not measured", so a forgotten page shows up in the report.
PAGES = [
    Page("home"),
    Page("about"),
    Page("glossary"),
    Page("resource_centres:list"),
    Page("resource_centres:list", query="q=preili"),
    Page("resource_centres:list", query=_largest_municipality),
    Page("resource_centres:detail", kwargs=_busiest_centre),
    Page("communities:list"),
    Page("communities:detail", kwargs=_busiest_community),
    Page("resource_centres:list", language="en"),
    Page("healthz"),
    Page("sitemap"),
    Page("sitemap_section", kwargs={"section": "communities"}),
    Page("grants:round_list"),
    Page("grants:round_detail", kwargs=_busiest_round),
    Page("grants:round_results", kwargs=_published_round),
    # An activist's own page with their 20 applications (bench_data.BENCH_APPLICANT).
    Page("my_page", user="bench-pieteicejs"),
    Page("events:list"),
    Page("events:list", query=_busiest_centre_filter),
    Page("events:list", query="veids=teachers_seminar&laiks=pagajusi"),
    Page("events:detail", kwargs=_busiest_event),
    # Feeds hold up to 1,000 events (communities.selectors.FEED_LIMIT): budget 200 ms.
    Page("events:feed", budget_ms=200),
    Page("events:event_feed", kwargs=_busiest_event, budget_ms=200),
    Page("resource_centres:calendar", kwargs=_busiest_centre, budget_ms=200),
    Page("communities:calendar", kwargs=_busiest_community, budget_ms=200),
    # Admin (DESIGN §8, issue 4): a coordinator's ranking of the 1,000-application round
    # (5 assessors × 6 criteria) in 300 ms, and its XLSX export in 3 s.
    Page(
        "admin:grants_grantround_ranking",
        kwargs=_assessed_round,
        user=BENCH_COORDINATOR,
        budget_ms=300,
        max_queries=ADMIN_MAX_QUERIES,
        max_weight_kb=None,
        repeats=20,
    ),
    Page(
        "admin:grants_grantround_export_xlsx",
        kwargs=_assessed_round,
        user=BENCH_COORDINATOR,
        budget_ms=3000,
        max_queries=ADMIN_MAX_QUERIES,
        max_weight_kb=None,
        repeats=5,
    ),
]
# Named URLs that are not public pages (or not HTML worth a budget).
NOT_PAGES = {
    "robots_txt",
    "favicon",
    "set_language",
    # One person's forms and files behind a log-in: their query counts are held fixed by tests
    # (tests/grants, tests/kopienas/test_personal.py), and they are not read at national scale.
    "grants:apply",
    "grants:application_detail",
    "grants:application_edit",
    "grants:application_withdraw",
    "grants:attachment_download",
    "communities:join",
    "communities:members",
    "communities:membership_decide",
    "my_profile",
    "my_data",
    "my_account_delete",
    # Forms that only take a POST, and pages reached only with a secret token from a mail.
    "events:register",
    "events:cancel",
    "events:feed_token",
    "events:confirm",
    "events:registration",
    "events:personal_feed",
}
# django-allauth's account and two-factor forms (/konts/...): small forms, not listings.
NOT_PAGE_PREFIXES = ("account_", "mfa_")


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(html: bytes, *, is_html: bool) -> tuple[int, list[str]]:
    """Bytes on the wire (gzip 6) of the document plus its own CSS and JS; and what is missing."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    total = _gzip_size(html)
    missing = []
    if not is_html:
        return total, missing
    parser = _AssetParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    for href in dict.fromkeys(parser.assets):
        path = href.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(settings.STATIC_URL):
            # Another origin would break the CSP; count it as missing, do not fetch it.
            missing.append(href)
            continue
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if not found:
            missing.append(href)
            continue
        total += _gzip_size(Path(found).read_bytes())
    return total, missing


@dataclass
class Result:
    url: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    weight_kb: float
    missing: list[str]
    budget_ms: float = MAX_P50_MS
    max_queries: int = MAX_QUERIES
    max_weight_kb: float | None = MAX_WEIGHT_KB

    @property
    def over(self) -> list[str]:
        over = []
        if self.status != 200:
            over.append(f"HTTP {self.status}")
        if self.queries > self.max_queries:
            over.append("queries")
        if self.p50_ms > self.budget_ms:
            over.append("p50")
        if self.max_weight_kb is not None and self.weight_kb > self.max_weight_kb:
            over.append("weight")
        if self.missing:
            over.append("missing assets")
        return over


def _client_for(page: Page):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if page.user:
        client.force_login(get_user_model().objects.get(username=page.user))
    return client


def measure(
    client,
    url: str,
    *,
    budget_ms: float = MAX_P50_MS,
    max_queries: int = MAX_QUERIES,
    max_weight_kb: float | None = MAX_WEIGHT_KB,
    repeats: int = REPEATS,
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the log the capture slices is cleared by the next request.
    query_count = len(queries)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    is_html = response.get("Content-Type", "").startswith("text/html")
    weight, missing = page_weight(content, is_html=is_html)
    return Result(
        url=url,
        status=response.status_code,
        queries=query_count,
        p50_ms=statistics.median(timings),
        p95_ms=statistics.quantiles(timings, n=20, method="inclusive")[18],
        weight_kb=weight / 1000,
        missing=missing,
        budget_ms=budget_ms,
        max_queries=max_queries,
        max_weight_kb=max_weight_kb,
    )


def unmeasured_url_names() -> list[str]:
    """Named URLs outside the admin that PAGES does not cover."""
    from django.urls import URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and pattern.namespace else inner,
                )
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    names = {name for name in names if not name.startswith(NOT_PAGE_PREFIXES)}
    return sorted(names - {page.url_name for page in PAGES} - NOT_PAGES)


def prepare_data(out) -> None:
    from django.core.management import call_command

    from communities.services import load_latgale, read_latgale_data

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_latgale(data=read_latgale_data())
    log = StringIO()
    call_command("bench_data", "--scale", str(SCALE), stdout=log)
    out.write(log.getvalue())


def data_summary() -> str:
    from communities.models import Community, Event, Membership, Registration
    from grants.models import Application, GrantRound
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
    }
    return ", ".join(f"{count:,} {name}".replace(",", " ") for name, count in counts.items())


def _mark(value: float, limit: float) -> str:
    return "OK" if value <= limit else "OVER"


def report(results: list[Result], out) -> int:
    """The table; a page whose budget differs from the public pages' shows it in brackets."""
    width = max(len("page"), *(len(r.url) for r in results))
    header = (
        f"{'page':<{width}}  {'queries (≤' + str(MAX_QUERIES) + ')':>20}  "
        f"{'p50 ms (≤' + format(MAX_P50_MS, 'g') + ')':>22}  {'p95 ms':>7}  "
        f"{'weight kB (≤' + format(MAX_WEIGHT_KB, 'g') + ')':>19}"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    for r in results:
        status = "" if r.status == 200 else f"  HTTP {r.status}"
        query_limit = "" if r.max_queries == MAX_QUERIES else f"(≤{r.max_queries})"
        time_limit = "" if r.budget_ms == MAX_P50_MS else f"(≤{r.budget_ms:g})"
        weight_mark = "—" if r.max_weight_kb is None else _mark(r.weight_kb, r.max_weight_kb)
        out.write(
            f"{r.url:<{width}}  {query_limit:>6} {r.queries:>8} "
            f"{_mark(r.queries, r.max_queries):<4}  {time_limit:>8} {r.p50_ms:>8.1f} "
            f"{_mark(r.p50_ms, r.budget_ms):<4}  {r.p95_ms:>7.1f}  "
            f"{r.weight_kb:>14.1f} {weight_mark:<4}{status}\n"
        )
        if r.missing:
            out.write(f"    assets not found under STATIC_URL: {', '.join(r.missing)}\n")
    return sum(1 for r in results if r.over)


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
    with override_settings(STORAGES=storages), warnings.catch_warnings():
        # Whitenoise warns once when STATIC_ROOT was never collected; pages do not need it here.
        warnings.filterwarnings("ignore", message="No directory at")
        results = [
            measure(
                _client_for(page),
                page.url(),
                budget_ms=page.budget_ms,
                max_queries=page.max_queries,
                max_weight_kb=page.max_weight_kb,
                repeats=page.repeats,
            )
            for page in PAGES
        ]
    over = report(results, out)
    # The bench itself keeps one CPU busy; more runnable processes than CPUs means contention.
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        out.write(
            f"Note: load average {load:.1f} on {os.cpu_count()} CPUs while measuring; other "
            "processes inflate the timings, so run again on a quieter machine before acting.\n"
        )

    for name in unmeasured_url_names():
        out.write(f"not measured (add it to PAGES in kopienas/bench.py): {name}\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write(
        f"\nPeak memory (max RSS): {peak_mb:.0f} MB; "
        f"total time: {time.perf_counter() - started:.0f} s\n"
    )
    out.write("All pages within budget\n" if not over else f"{over} page(s) over budget\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
