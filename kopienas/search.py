"""The site's one search box: centres, communities, events and initiatives found by their folded
text (core.text.fold), so case and diacritics do not matter ("rezekne" finds "Rēzekne").

Each kind is one query: its first rows in the order of its own list, with the number of
matches counted by a window (COUNT(*) OVER ()) over at most COUNT_CAP + 1 of them, so a common
word neither counts nor joins thousands of events (a national-scale search for "kopien" took
150 ms when the window ran over all 25,000 matching events; the database now stops its index walk
after 101). Past the cap the page says "more than 100". Every word must match, as on the lists
the page links to.

At national scale the database answers each kind in a millisecond or two (PostgreSQL finds a
rare word through the events' and initiatives' trigram indexes and walks the list's order for a
common one); most of a search's time was Python building and compiling the queries. So the
rows shown are read by primary key alone (the window's subquery already holds every filter,
so they are not compiled twice) with only the fields their cards show, and the moment an
upcoming event found changes is read from the rows shown whenever they decide it, without the
two extra queries of events.selectors.list_changes_at.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.selectors import published_communities
from core.text import fold
from events import selectors as event_selectors
from initiatives.selectors import published_initiatives
from resource_centres.selectors import published_centres

MIN_LENGTH = 2
MAX_LENGTH = 100
# How many of each kind the page shows; "show all" leads to the kind's list, filtered.
CAP = 10
EVENT_CAP = 5
# Counted up to here; past it a kind shows "more than 100" (Group.capped).
COUNT_CAP = 100
# The fields each kind's card on the page shows (templates/kopienas/search.html and the cards
# it includes), the only ones read: a field left out would be read by a query of its own per
# card, which the page's query-ceiling test catches. Events' are the lists' own (with what
# `changes_at` needs).
CENTRE_CARD = ("slug", "name", "settlement", "municipality", "host", "latitude", "longitude")
COMMUNITY_CARD = ("slug", "name", "municipality")
EVENT_CARD = event_selectors.CARD_FIELDS
INITIATIVE_CARD = ("slug", "title", "year", "community__name")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Meklēt"),
        max_length=MAX_LENGTH,
        help_text=_("Centri, kopienas, pasākumi un iniciatīvas; garumzīmes nav jāraksta."),
        error_messages={
            "required": _("Ierakstiet, ko meklēt."),
            "max_length": _("Meklējamais teksts var būt ne garāks par %(limit_value)d zīmēm."),
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if len(fold(query).replace(" ", "")) < MIN_LENGTH:
            raise forms.ValidationError(
                _("Ierakstiet vismaz %(count)d burtus."),
                code="too_short",
                params={"count": MIN_LENGTH},
            )
        return query


@dataclass
class Group:
    """One kind of result: its heading, the rows shown, how many matched in all, and the
    filtered list that shows them all (None when the kind's list cannot be searched)."""

    key: str
    title: str
    items: list = field(default_factory=list)
    total: int = 0
    all_url: str | None = None

    @property
    def more(self) -> bool:
        return self.total > len(self.items)

    @property
    def capped(self) -> bool:
        """More matched than were counted: the page says "more than COUNT_CAP"."""
        return self.total > COUNT_CAP

    @property
    def shown_total(self) -> int:
        return min(self.total, COUNT_CAP)


@dataclass
class Results:
    groups: list[Group]
    # No later than the first moment an upcoming event found ends and moves to the past ones.
    changes_at: datetime | None = None

    @property
    def total(self) -> int:
        """The matches counted, each kind up to COUNT_CAP (see `capped`)."""
        return sum(group.shown_total for group in self.groups)

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self.groups)


def _matching(queryset: QuerySet, words: list[str]) -> QuerySet:
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _capped(matches: QuerySet, cap: int, card: tuple[str, ...]) -> tuple[list, int]:
    """The first `cap` matches and their number up to COUNT_CAP + 1, in one query: the
    window counts only the first COUNT_CAP + 1 matches in the list's order (a subquery the
    database ends early), which also hold the rows shown.

    The rows shown are selected by primary key only, with just the fields their card shows
    (`card`, "relation__field" for a joined one): repeating the filters changed nothing (every
    row of the subquery passes them), and every column is Python to compile and to load, which
    at national scale cost more than the database's answer."""
    first = matches.values("pk")[: COUNT_CAP + 1]
    shown = matches.model._base_manager.filter(pk__in=first)
    related = [name.split("__")[0] for name in card if "__" in name]
    if related:
        shown = shown.select_related(*related)
    shown = shown.only(*card).order_by(*matches.query.order_by).annotate(found=Window(Count("pk")))
    rows = list(shown[:cap])
    return rows, (rows[0].found if rows else 0)


def _upcoming_changes_at(
    shown: list, total: int, upcoming: QuerySet, *, now: datetime
) -> datetime | None:
    """events.selectors.list_changes_at of the upcoming events found, from the rows shown when
    they decide it. The list is in order of start, so every match under way (started, not
    ended) comes before the first that has not started: once a row shown has not started, or
    every match is shown, the first start ahead and the first end of those under way are both
    among the rows shown. Only when all of them are under way and more matched are the two
    queries needed."""
    if total > len(shown) and all(event.starts_at <= now for event in shown):
        return event_selectors.list_changes_at(upcoming, now=now)
    moments = [
        min((event.starts_at for event in shown if event.starts_at > now), default=None),
        min((event.ends_at for event in shown if event.starts_at <= now), default=None),
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def _list_url(name: str, query: str, **extra: str) -> str:
    return f"{reverse(name)}?{urlencode({'q': query, **extra})}"


def search(*, query: str, now: datetime) -> Results:
    words = fold(query).split()

    centres, centre_total = _capped(
        _matching(published_centres(), words).order_by("sort_name", "name"), CAP, CENTRE_CARD
    )
    communities, community_total = _capped(
        _matching(published_communities(), words).order_by("sort_name", "name"),
        CAP,
        COMMUNITY_CARD,
    )
    upcoming_matches = _matching(event_selectors.event_list(now=now), words)
    upcoming, upcoming_total = _capped(upcoming_matches, EVENT_CAP, EVENT_CARD)
    past, past_total = _capped(
        _matching(event_selectors.event_list(past=True, now=now), words), EVENT_CAP, EVENT_CARD
    )
    initiatives, initiative_total = _capped(
        _matching(published_initiatives(), words).order_by("-year", "title", "pk"),
        CAP,
        INITIATIVE_CARD,
    )
    groups = [
        Group(
            "centri",
            _("Resursu centri"),
            centres,
            centre_total,
            _list_url("resource_centres:list", query),
        ),
        Group("kopienas", _("Kopienas"), communities, community_total),
        Group(
            "gaidamie",
            _("Gaidāmie pasākumi"),
            upcoming,
            upcoming_total,
            _list_url("events:list", query),
        ),
        Group(
            "notikusie",
            _("Notikušie pasākumi"),
            past,
            past_total,
            _list_url("events:list", query, laiks="pagajusi"),
        ),
        Group(
            "iniciativas",
            _("Iniciatīvas"),
            initiatives,
            initiative_total,
            _list_url("initiatives:list", query),
        ),
    ]
    # An upcoming event found ends and moves to the past ones no sooner than this (the first
    # start ahead, or the first end of one under way), as on the list.
    changes_at = (
        _upcoming_changes_at(upcoming, upcoming_total, upcoming_matches, now=now)
        if upcoming_total
        else None
    )
    return Results(groups=groups, changes_at=changes_at)
