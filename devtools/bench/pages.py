"""What `make bench` measures: every public page, and the admin pages with a budget of their
own, each with its budgets (DESIGN §8). A new page is one line in PAGES.

A page's object is picked once the data exists (the busiest centre, the assessed round, ...),
so the functions here import Django's models only when called.
"""

from dataclasses import dataclass, field
from typing import Any

from .names import (
    BENCH_APPLICANT,
    BENCH_COORDINATOR,
    BENCH_LEADER,
    BENCH_MANAGER,
    BENCH_PREFIX,
)

# The public pages' budgets.
MAX_QUERIES = 10
MAX_P50_MS = 30.0
MAX_WEIGHT_KB = 100.0
# Admin pages carry the admin's own reads (session, user, two-factor check, permissions,
# messages) on top of what they show; their ceiling is fixed all the same, whatever the number
# of rows. The weight budget is for public pages only.
ADMIN_MAX_QUERIES = 20
# A community member's working pages behind a log-in (the capacity self-assessment's round with
# its form, spread, consensus and plans): the ceiling their tests hold
# (tests/communities/test_capacity_results.py), whatever the number of rounds and answers.
MEMBER_MAX_QUERIES = 20
# A round's export (DESIGN §8): 1,000 applications in 3 s.
EXPORT_BUDGET_MS = 3000
REPEATS = 50


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


def _assessed_community() -> dict[str, str]:
    """The first synthetic community, led by BENCH_LEADER, with ten rounds of self-assessment."""
    from communities.models import Community

    community = Community.objects.filter(slug__startswith=BENCH_PREFIX).order_by("slug").first()
    return {"slug": community.slug}


def _latest_assessment() -> dict[str, Any]:
    from communities.models import AssessmentRound

    slug = _assessed_community()["slug"]
    latest = AssessmentRound.objects.filter(community__slug=slug).order_by("-opens_on").first()
    return {"slug": slug, "pk": latest.pk}


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

    from events.selectors import published_events

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


def _busiest_initiative() -> dict[str, str]:
    """The published initiative naming the most institutions and target groups: the
    initiative page's worst case."""
    from django.db.models import Count

    from initiatives.models import Initiative

    initiative = (
        Initiative.objects.filter(status=Initiative.Status.PUBLISHED)
        .annotate(n=Count("institutions", distinct=True) + Count("reach", distinct=True))
        .order_by("-n", "slug")
        .first()
    )
    return {"slug": initiative.slug}


def _busiest_item() -> dict[str, Any]:
    """The bookable item of the busiest centre with the most bookings from this week on: the
    week view's worst case (bench_data's two years of bookings, issue 13)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from resource_centres.models import Equipment

    slug = _busiest_centre()["slug"]
    item = (
        Equipment.objects.filter(centre__slug=slug, bookable=True)
        .annotate(n=Count("bookings", filter=Q(bookings__ends_at__gte=timezone.now())))
        .order_by("-n", "pk")
        .first()
    )
    return {"slug": slug, "item_pk": item.pk}


def _next_week() -> str:
    from datetime import timedelta

    from core.formats import riga_today
    from resource_centres.booking_selectors import monday_of

    return f"nedela={monday_of(riga_today() + timedelta(days=7)).isoformat()}"


def _busiest_centre_filter() -> str:
    from urllib.parse import urlencode

    return urlencode({"centrs": _busiest_centre()["slug"], "brivas": "on"})


# Every public page. A new page is one line here; URL names not listed here and not in
# NOT_PAGES are printed as "not measured", so a forgotten page shows up in the report.
PAGES = [
    Page("home"),
    Page("about"),
    Page("glossary"),
    Page("privacy"),
    Page("resource_centres:list"),
    Page("resource_centres:list", query="q=preili"),
    Page("resource_centres:list", query=_largest_municipality),
    Page("resource_centres:detail", kwargs=_busiest_centre),
    Page("communities:list"),
    Page("communities:detail", kwargs=_busiest_community),
    Page("resource_centres:list", language="en"),
    Page("healthz"),
    Page("readyz"),
    Page("sitemap"),
    Page("sitemap_section", kwargs={"section": "communities"}),
    Page("sitemap_section", kwargs={"section": "events"}),
    Page("grants:round_list"),
    Page("grants:round_detail", kwargs=_busiest_round),
    Page("grants:round_results", kwargs=_published_round),
    # An activist's own page with their 20 applications (BENCH_APPLICANT), and a leader's
    # (BENCH_LEADER): 29 applications, their communities' initiatives and 1,097 bookings, 547
    # of them ahead, of which /mans/ shows ten and its list of upcoming bookings a page.
    Page("my_page", user=BENCH_APPLICANT),
    Page("my_page", user=BENCH_LEADER),
    Page("my_upcoming_bookings", user=BENCH_LEADER, query="lapa=2"),
    Page("events:list"),
    Page("events:list", query=_busiest_centre_filter),
    Page("events:list", query="veids=teachers_seminar&laiks=pagajusi"),
    Page("events:detail", kwargs=_busiest_event),
    # Feeds hold up to 1,000 events (events.selectors.FEED_LIMIT): budget 200 ms.
    Page("events:feed", budget_ms=200),
    Page("events:event_feed", kwargs=_busiest_event, budget_ms=200),
    Page("resource_centres:calendar", kwargs=_busiest_centre, budget_ms=200),
    Page("communities:calendar", kwargs=_busiest_community, budget_ms=200),
    # Initiatives (issue 12): 10,000 of them; the list, filtered by year with a search typed
    # without diacritics ("gimenu" finds "Ģimeņu"), one initiative, the figures page.
    Page("initiatives:list"),
    Page("initiatives:list", query="q=gimenu"),
    Page("initiatives:list", query="gads=2024&q=talka"),
    Page("initiatives:detail", kwargs=_busiest_initiative),
    # Finding things (issue 17): the site's search, typed without diacritics, for a word in
    # half of the 50,000 events' titles ("kopien": "Kopienas talka", "Mācības kopienām") and
    # for a rarer one, also under /en/; the centres and events sorted by distance from a
    # municipality and from a browser's location.
    Page("search", query="q=kopien"),
    Page("search", query="q=macibas+nr+1234"),
    Page("search", query="q=rezekne", language="en"),
    Page("resource_centres:list", query="tuvu=R%C4%93zeknes+novads"),
    Page("resource_centres:list", query="lat=56.95&lon=24.11"),
    Page("events:list", query="tuvu=R%C4%93zeknes+novads"),
    Page("events:list", query="lat=56.95&lon=24.11&laiks=pagajusi"),
    Page("events:list", query="q=kopienas+talka"),
    Page("figures"),
    # ... and with one community's figures chosen.
    Page("figures", query=lambda: f"kopiena={_busiest_community()['slug']}"),
    # Bookings (issue 13): an item's week of free and taken times with its request form, this
    # week and the next, among two years of bookings of 100 centres × 10 items; the centre page
    # above shows each item's "free now".
    Page("resource_centres:item_week", kwargs=_busiest_item),
    Page("resource_centres:item_week", kwargs=_busiest_item, query=_next_week),
    Page("resource_centres:item_week", kwargs=_busiest_item, user=BENCH_APPLICANT),
    # The capacity self-assessment (issue 16): a leader's pages of a community with ten rounds
    # among 1,000 communities × 10 rounds; the results put the ten side by side (table, chart,
    # CSV). The coordinators' overview counts every community's rounds for the yearly medians
    # and shows 50 communities a page (the first and the last page): an admin page.
    Page(
        "communities:capacity",
        kwargs=_assessed_community,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
    ),
    Page(
        "communities:capacity_round",
        kwargs=_latest_assessment,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
    ),
    Page(
        "communities:capacity_consensus",
        kwargs=_latest_assessment,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
    ),
    Page(
        "communities:capacity_plan",
        kwargs=_latest_assessment,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
    ),
    Page(
        "communities:capacity_results",
        kwargs=_assessed_community,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
    ),
    Page(
        "communities:capacity_results_csv",
        kwargs=_assessed_community,
        user=BENCH_LEADER,
        max_queries=MEMBER_MAX_QUERIES,
        max_weight_kb=None,
    ),
    # The events at one's centres (issue 17): a coordinator sees all 50,000, two lists of 20;
    # a centre's manager, their one centre's 500.
    Page("events:centre_events", user=BENCH_COORDINATOR, max_weight_kb=None),
    Page("events:centre_events", user=BENCH_MANAGER, max_weight_kb=None),
    Page(
        "admin:communities_assessmentround_overview",
        user=BENCH_COORDINATOR,
        budget_ms=300,
        max_queries=ADMIN_MAX_QUERIES,
        max_weight_kb=None,
        repeats=20,
    ),
    Page(
        "admin:communities_assessmentround_overview",
        user=BENCH_COORDINATOR,
        query="lapa=20",
        budget_ms=300,
        max_queries=ADMIN_MAX_QUERIES,
        max_weight_kb=None,
        repeats=20,
    ),
    # Admin (DESIGN §8, issue 4): a coordinator's ranking of the 1,000-application round
    # (5 assessors × 6 criteria) in 300 ms, and its XLSX export in 3 s (issue 15: the CSV too;
    # their memory is in devtools.bench.exports).
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
        budget_ms=EXPORT_BUDGET_MS,
        max_queries=ADMIN_MAX_QUERIES,
        max_weight_kb=None,
        repeats=5,
    ),
    Page(
        "admin:grants_grantround_export_csv",
        kwargs=_assessed_round,
        user=BENCH_COORDINATOR,
        budget_ms=EXPORT_BUDGET_MS,
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
    # A permanent redirect from the admin's old addresses of events (kopienas/urls.py).
    "moved_admin_page",
    # One person's forms and files behind a log-in: their query counts are held fixed by tests
    # (tests/grants, tests/kopienas/test_personal.py), and they are not read at national scale.
    "grants:apply",
    "grants:application_detail",
    "grants:application_edit",
    "grants:application_withdraw",
    "grants:attachment_download",
    "communities:join",
    # Following (POST only), the digest's switch and its unsubscribe link, and the form that
    # writes to a community's leaders: one person's actions, their queries held by tests
    # (tests/events/test_following.py, tests/communities/test_contact.py).
    "communities:follow",
    "resource_centres:follow",
    "my_digest",
    "events:digest_unsubscribe",
    "communities:contact",
    # The capacity self-assessment's forms and actions for one person (issue 16): their query
    # counts are held by tests (tests/communities/test_capacity_views.py); its pages are above.
    "communities:capacity_open",
    "communities:capacity_item_status",
    "communities:members",
    "communities:membership_decide",
    # Managing members (issue 17): a leader's role change (POST only) and removal page, and a
    # member's leave page; their query counts are held by
    # tests/communities/test_membership_management.py (the members page's history included).
    "communities:member_role",
    "communities:member_remove",
    "communities:leave",
    "my_profile",
    "my_data",
    "my_account_delete",
    # Forms that only take a POST, and pages reached only with a secret token from a mail.
    "events:register",
    "events:cancel",
    "events:registration_cancel",
    "events:feed_token",
    "events:confirm",
    "events:registration",
    "events:personal_feed",
    # Initiatives (issue 12): the team's report form, its private receipts and the progress
    # page (milestones), and a leader's form to record an initiative, behind a log-in (their
    # query counts are held fixed by tests/initiatives); a published photo and the figures' CSV
    # are files, not pages.
    "initiatives:report",
    "initiatives:progress",
    "initiatives:receipt",
    "initiatives:record",
    "initiatives:photo",
    "figures_csv",
    # Bookings (issue 13): one's own booking behind a log-in (its query count is held fixed by
    # tests/resource_centres/test_booking_pages.py), and the list of one's earlier bookings
    # (the upcoming ones are measured above).
    "my_booking",
    "my_bookings",
    # One's registrations a page at a time: the bench's people registered for nothing (its
    # 500,000 registrations are guests'); the query count is held by
    # tests/events/test_my_registrations.py.
    "my_registrations",
    # A community's events run from the site (issue 17): its leaders' and the centre managers'
    # forms, their query counts held by tests/events/test_leader_events.py.
    "communities:event_create",
    "events:edit",
    "events:copy",
    "events:event_cancel",
    "events:attendance",
}
# django-allauth's account and two-factor forms (/konts/...): small forms, not listings.
NOT_PAGE_PREFIXES = ("account_", "mfa_")


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
