"""Reads of initiatives for the public pages: the list with its map, one initiative's page, its
photos, a community's initiatives and the model elements it has practised by year."""

import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from communities.models import Community, ModelElement, TargetGroup
from core import generations
from core.formats import count as format_count
from core.forms import Options
from events.models import Event
from events.selectors import held_events
from resource_centres.selectors import published_centres

from .models import FinalReport, Initiative, InitiativeReach, ReportPhoto

# A target group of fewer people than this is shown as "mazāk nekā 5", never as its count: a
# handful of people from one small group in one village could be recognised (the figures page
# follows the same rule).
SMALL_GROUP = 5
RIGA = ZoneInfo("Europe/Riga")


def published_initiatives() -> QuerySet[Initiative]:
    """What the public sees: published initiatives of published communities."""
    return Initiative.objects.filter(
        status=Initiative.Status.PUBLISHED, community__is_published=True
    )


def _first_photo(column: str) -> Subquery:
    return Subquery(
        ReportPhoto.objects.filter(report__initiative=OuterRef("pk"))
        .order_by("order", "pk")
        .values(column)[:1]
    )


# The columns a card (templates/initiatives/includes/initiative_card.html) and the list's map
# (initiative_list.html, map_places) read, the only ones loaded: the application and the
# centre have dozens more, and building every column of four models took most of a community
# page's initiatives (7.7 ms of Python for three cards, the query itself 0.3 ms). A field read
# outside these costs a query per card, which the pages' query-ceiling tests catch.
CARD_FIELDS = (
    "slug",
    "title",
    "year",
    "summary",
    "participants",
    "status",
    "community",
    "community__name",
    "community__slug",
    "community__resource_centre",
    "community__resource_centre__slug",
    "community__resource_centre__name",
    "community__resource_centre__sort_name",
    "community__resource_centre__settlement",
    "community__resource_centre__latitude",
    "community__resource_centre__longitude",
    "community__resource_centre__is_published",
    "application",
    "application__round",
    "application__round__title",
)


def with_cards(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Everything a card shows, in the one query that reads the rows: the community and its
    centre (for the map), the round it was funded in, and its first photo's key and alt text
    (CARD_FIELDS)."""
    return (
        initiatives.select_related("community__resource_centre", "application__round")
        .only(*CARD_FIELDS)
        .annotate(photo_pk=_first_photo("pk"), photo_alt=_first_photo("alt_text"))
    )


def initiative_list() -> QuerySet[Initiative]:
    """Published initiatives for the cards, the newest year first (filtered by
    initiatives.filters.InitiativeFilter)."""
    return with_cards(published_initiatives()).order_by("-year", "title", "pk")


def initiative_years() -> list[int]:
    """The years published initiatives were carried out in, newest first (the year filter).

    Read from the list-order index (status, year, ...) alone, without the communities: a year
    offered only by an unpublished community's initiatives lists nothing, and saves a join."""
    return list(
        Initiative.objects.filter(status=Initiative.Status.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def filter_options() -> dict[str, Options]:
    """The options of the list's filters, {parameter: options}: a thousand communities at
    national scale, with their <option>s already written. Kept in the shared cache until a
    community, centre, element, group or initiative changes (core.generations), so a visitor's
    request neither reads nor escapes them; each process keeps them too, so a request reads only
    the generation."""

    def compute() -> dict[str, Options]:
        return {
            "kopiena": Options.of(
                Community.objects.filter(is_published=True)
                .order_by("sort_name", "name")
                .values_list("slug", "name")
            ),
            "centrs": Options.of(
                published_centres().order_by("sort_name", "name").values_list("slug", "name")
            ),
            "gads": Options.of((str(year), str(year)) for year in initiative_years()),
            "elements": Options.of(
                ModelElement.objects.order_by("order", "pk").values_list("slug", "title")
            ),
            "grupa": Options.of(
                TargetGroup.objects.order_by("order", "pk").values_list("slug", "title")
            ),
        }

    return generations.cached(
        generations.PUBLIC_COUNTS, ("initiative-filter-options-written",), compute, local=True
    )


class CountedPaginator(Paginator):
    """A paginator whose total (the query that reads every matching row) is kept in the shared
    cache with the other public counts, keyed by the filters that made the list: exact on the
    very next request after any change (core.generations), computed once per change otherwise.

    `filters` names the list exactly (the valid filter values, in a fixed order)."""

    def __init__(self, object_list, per_page, *, filters: list[tuple[str, str]]):
        super().__init__(object_list, per_page)
        self.filters = filters

    @cached_property
    def count(self) -> int:
        digest = hashlib.sha256(repr(sorted(self.filters)).encode()).hexdigest()
        return generations.cached(
            generations.PUBLIC_COUNTS,
            ("initiative-count", digest),
            lambda: Paginator.count.func(self),
        )


@dataclass
class MapPlace:
    """One marker: a resource centre and the initiatives of its communities on this page."""

    centre: object
    initiatives: list = field(default_factory=list)


def map_places(initiatives) -> tuple[list[MapPlace], list[Initiative]]:
    """The page's initiatives grouped by their community's resource centre (one marker each),
    and those whose community has no published centre (listed, not mapped). No query: the
    cards' rows already hold the centres."""
    places: dict[int, MapPlace] = {}
    unmapped = []
    for initiative in initiatives:
        centre = initiative.community.resource_centre
        if centre is None or not centre.is_published:
            unmapped.append(initiative)
            continue
        places.setdefault(centre.pk, MapPlace(centre=centre)).initiatives.append(initiative)
    ordered = sorted(places.values(), key=lambda place: (place.centre.sort_name, place.centre.pk))
    return ordered, unmapped


# --- One initiative -----------------------------------------------------------------------------


@dataclass
class Reach:
    title: str
    count: int

    @property
    def shown(self) -> str:
        return reach_text(self.count)


def reach_text(value: int) -> str:
    """A target group's count as the public sees it: exact, or "mazāk nekā 5"."""
    if value < SMALL_GROUP:
        return _("mazāk nekā %(limit)s") % {"limit": SMALL_GROUP}
    return format_count(value)


@dataclass
class InitiativePage:
    """What an initiative's page shows. For a published initiative: the copies made when it was
    published. For the team's and coordinators' preview of an unpublished one: its report as it
    stands now (or nothing yet, before a report is started)."""

    story: str = ""
    results: str = ""
    participants: int | None = None
    volunteers: int | None = None
    reach: list[Reach] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    model_elements: list[ModelElement] = field(default_factory=list)
    photos: list[ReportPhoto] = field(default_factory=list)
    preview: bool = False


def initiative_page(initiative: Initiative) -> InitiativePage:
    photos = list(ReportPhoto.objects.filter(report__initiative=initiative).order_by("order", "pk"))
    if initiative.is_published:
        return InitiativePage(
            story=initiative.story,
            results=initiative.results,
            participants=initiative.participants,
            volunteers=initiative.volunteers,
            reach=[
                Reach(row.target_group.title, row.count)
                for row in InitiativeReach.objects.filter(initiative=initiative).select_related(
                    "target_group"
                )
            ],
            institutions=list(initiative.institutions.values_list("name", flat=True)),
            model_elements=list(initiative.model_elements.order_by("order", "pk")),
            photos=photos,
        )
    report = FinalReport.objects.filter(initiative=initiative).first()
    if report is None:
        return InitiativePage(photos=photos, preview=True)
    return InitiativePage(
        story=report.story,
        results=report.results,
        participants=report.participants,
        volunteers=report.volunteers,
        reach=[
            Reach(row.target_group.title, row.count)
            for row in report.reach.filter(count__gt=0)
            .select_related("target_group")
            .order_by("target_group__order", "target_group__pk")
        ],
        institutions=list(report.institutions.values_list("name", flat=True)),
        model_elements=list(report.model_elements.order_by("order", "pk")),
        photos=photos,
        preview=True,
    )


def photo_of(*, initiative: Initiative, pk: int) -> ReportPhoto:
    """A photo of this initiative's report (DoesNotExist for any other)."""
    return ReportPhoto.objects.get(pk=pk, report__initiative=initiative)


# --- A community's page -------------------------------------------------------------------------

COMMUNITY_LATEST = 3


def latest_of_community(*, community: Community, limit: int = COMMUNITY_LATEST) -> list:
    """The community's latest published initiatives, for its page."""
    return list(
        with_cards(
            Initiative.objects.filter(community=community, status=Initiative.Status.PUBLISHED)
        ).order_by("-year", "-published_at", "-pk")[:limit]
    )


@dataclass
class ElementYears:
    """Which of the model's elements a community practised in which years."""

    years: list[int]
    rows: list[tuple[ModelElement, list[bool]]]

    def __bool__(self) -> bool:
        return bool(self.years)


def practised_elements(*, community: Community) -> ElementYears:
    """The model elements of the community's published initiatives (by the initiative's year)
    and of its held events (closed, not cancelled; by the year the event started in Riga), as a
    table of years × elements. Two queries: the elements, and the (year, element) pairs of both
    sources in one union."""
    elements = list(ModelElement.objects.order_by("order", "pk"))
    by_initiatives = (
        Initiative.model_elements.through.objects.filter(
            initiative__community=community, initiative__status=Initiative.Status.PUBLISHED
        )
        .values_list("initiative__year", "modelelement_id")
        .order_by()
    )
    by_events = (
        Event.model_elements.through.objects.filter(
            event__in=held_events().filter(community=community).order_by().values("pk")
        )
        .annotate(riga_year=ExtractYear("event__starts_at", tzinfo=RIGA))
        .values_list("riga_year", "modelelement_id")
        .order_by()
    )
    pairs = set(by_initiatives.union(by_events))
    years = sorted({year for year, _ in pairs}, reverse=True)
    return ElementYears(
        years=years,
        rows=[(element, [(year, element.pk) in pairs for year in years]) for element in elements],
    )
