"""Bench data: initiatives at national scale, for `/iniciativas/`, an initiative's page and the
figures page (`/skaitli/`).

At scale 1: 10,000 initiatives of the synthetic communities over 2015–2026, nine in ten
published with what publication copies onto them (story, results, participants, volunteers,
reach per target group, model elements, institutions), the rest still under way; 3,000
institutions, each initiative naming two to four. Bulk inserts: the rows are what
`initiatives.services.lifecycle` leaves on a published initiative (its search_text folded as
`Initiative.save` folds it), without the reports and history behind them, which no public page
reads.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from communities.models import ModelElement, TargetGroup
from core.formats import RIGA
from core.text import fold
from devtools.demo.initiative_data import ACTIVITIES, SMALL
from initiatives.models import Initiative, InitiativeReach, Institution

from .common import BIG_BATCH, Made, analyze, target
from .names import BENCH_MARK, BENCH_PREFIX, settlement

# Row counts at --scale 1.
INITIATIVES_PER_SCALE = 10_000
INSTITUTIONS_PER_SCALE = 3_000
FIRST_YEAR, YEARS = 2015, 12
# Every tenth initiative is still under way, in these states in turn.
UNDER_WAY = [
    Initiative.Status.SUPPORTED,
    Initiative.Status.IN_PROGRESS,
    Initiative.Status.REPORT_DUE,
    Initiative.Status.SUBMITTED,
    Initiative.Status.ACCEPTED,
]
# The kinds of institution a settlement has; with 288 settlement names, 3,456 distinct names.
INSTITUTION_KINDS = [
    "pamatskola", "vidusskola", "bibliotēka", "pagasta pārvalde", "tautas nams",
    "kultūras centrs", "muzejs", "sporta skola", "mūzikas skola", "pirmsskolas izglītības iestāde",
    "sociālais dienests", "jauniešu centrs",
]  # fmt: skip


def institution_name(index: int) -> str:
    """The index-th synthetic institution: "Ozolkalnu bibliotēka"."""
    places = 24 * 12  # names.STEMS × names.PLACE_WORDS
    _nominative, genitive = settlement(index % places)
    return f"{genitive} {INSTITUTION_KINDS[(index // places) % len(INSTITUTION_KINDS)]}"


def make_initiatives(*, scale: float, made: Made) -> None:
    made.counts["institutions"] = made.counts["initiatives"] = 0
    communities = made.communities
    if not communities:
        return
    institutions = _institutions(target(scale, INSTITUTIONS_PER_SCALE), made)
    existing = Initiative.objects.filter(slug__startswith=BENCH_PREFIX).count()
    wanted = target(scale, INITIATIVES_PER_SCALE)
    groups = {g.slug: g.pk for g in TargetGroup.objects.all()}
    elements = {e.slug: e.pk for e in ModelElement.objects.all()}
    now = timezone.now()
    initiatives, named_by = [], []
    for index in range(existing, wanted):
        activity = ACTIVITIES[index % len(ACTIVITIES)]
        community = communities[index % len(communities)]
        year = FIRST_YEAR + index * 7 % YEARS
        starts = date(year, activity.month, 1 + index % 28)
        published = index % 10 != 9
        people = 5 + index * 13 % 60
        named = (
            sorted(
                {
                    institutions[(index * 7 + n * 13) % len(institutions)]
                    for n in range(2 + index % 3)
                }
            )
            if published and institutions
            else []
        )
        named_by.append(named)
        title = f"{activity.title} ({community.name}, nr. {index + 1})"
        summary = f"{activity.summary} {BENCH_MARK}"
        initiatives.append(
            Initiative(
                slug=f"{BENCH_PREFIX}iniciativa-{index:05d}",
                title=title,
                community=community,
                year=year,
                summary=summary,
                search_text=fold(" ".join([title, summary])),
                status=(
                    Initiative.Status.PUBLISHED
                    if published
                    else UNDER_WAY[index // 10 % len(UNDER_WAY)]
                ),
                starts_on=starts,
                ends_on=starts + timedelta(days=index % 30),
                report_due_on=starts + timedelta(days=60),
                story=f"{activity.done} {activity.results} {BENCH_MARK}" if published else "",
                results=activity.results if published else "",
                participants=people if published else None,
                volunteers=1 + index % 9 if published else None,
                organisations=len(named) if published else None,
                published_at=(
                    min(now, datetime.combine(starts + timedelta(days=75), time(12), RIGA))
                    if published
                    else None
                ),
            )
        )
    Initiative.objects.bulk_create(initiatives, batch_size=BIG_BATCH)
    made.counts["initiatives"] = len(initiatives)
    reach, group_links, element_links, institution_links = [], [], [], []
    Groups = Initiative.target_groups.through
    Elements = Initiative.model_elements.through
    Institutions = Initiative.institutions.through
    for offset, initiative in enumerate(initiatives):
        if initiative.status != Initiative.Status.PUBLISHED:
            continue
        index = existing + offset
        activity = ACTIVITIES[index % len(ACTIVITIES)]
        for position, slug in enumerate(activity.groups):
            if slug in groups:
                count = max(1, initiative.participants * (3 - position) // 6 - index % 5)
                reach.append(
                    InitiativeReach(
                        initiative=initiative, target_group_id=groups[slug], count=count
                    )
                )
                group_links.append(Groups(initiative=initiative, targetgroup_id=groups[slug]))
        for slug in (SMALL, *activity.elements):
            if slug in elements:
                element_links.append(
                    Elements(initiative=initiative, modelelement_id=elements[slug])
                )
        institution_links += [
            Institutions(initiative=initiative, institution_id=pk) for pk in named_by[offset]
        ]
    for model, rows in (
        (InitiativeReach, reach),
        (Groups, group_links),
        (Elements, element_links),
        (Institutions, institution_links),
    ):
        model.objects.bulk_create(rows, batch_size=BIG_BATCH)
    made.counts["initiative_reach"] = len(reach)
    analyze([Initiative, InitiativeReach, Institution, Groups, Elements, Institutions])


def _institutions(wanted: int, made: Made) -> list[int]:
    """The first `wanted` synthetic institutions' keys, made where missing (a real one of the
    same name is used as it is); their primary keys in index order."""
    names = {Institution.key_of(name): name for name in map(institution_name, range(wanted))}
    have = dict(Institution.objects.filter(key__in=list(names)).values_list("key", "pk"))
    new = [Institution(name=name, key=key) for key, name in names.items() if key not in have]
    Institution.objects.bulk_create(new, batch_size=BIG_BATCH)
    made.counts["institutions"] = len(new)
    have = dict(Institution.objects.filter(key__in=list(names)).values_list("key", "pk"))
    return [have[key] for key in names]
