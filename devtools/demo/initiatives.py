"""What happened after the grants, and what the communities did on their own: the brochure's
150+ initiatives with accepted reports and published stories, made through the initiatives'
services.

- The 32 ideas supported in the past rounds (`past_rounds`) are carried out, reported by their
  applicants, accepted and published by the coordinator.
- Each community's leader records about a dozen initiatives the community carried out on its
  own, 2019–2026, and reports them; the coordinator accepts and publishes them.
- The Preiļi leader (the demo activist, aktiviste@example.lv) has three this year still under
  way: a report draft, one submitted and awaiting review, one returned with a comment.

Every step goes through `initiatives.services` (history entries, the published copies, mails
to the team, which the loader sends to memory); afterwards the timestamps the services stamped
"now" (history, report submission and acceptance, publication) are set back to the
initiative's own year with bulk updates, as if the platform had been used since 2019. Nothing
here is bulk-created: the records are exactly the services' own.

Idempotent: a funded initiative is reported once (only while it has no report); an own
initiative is recorded once (by its community and title).
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from communities.models import Community, ModelElement, TargetGroup
from initiatives.models import FinalReport, Initiative, InitiativeHistory, ReportPhoto
from initiatives.services import lifecycle, reports

from .centres_and_events import _sample_photo
from .common import DEMO_MARK
from .initiative_data import (
    ACTIVITIES,
    LEADERS_BY_COMMUNITY,
    LOCATIVES,
    MONTHS_LOCATIVE,
    SMALL,
    STORIES,
    institution_pool,
)
from .people import make_leaders

CENT = Decimal("0.01")
# How many initiatives each community carried out on its own (published), in LOCATIVES order:
# the first four twelve, the rest eleven.
OWN_PER_COMMUNITY = [12, 12, 12, 12, 11, 11, 11, 11, 11, 11, 11]
FIRST_YEAR, LAST_YEAR = 2019, 2026
# The supported ideas whose reports carry a photo (the first ones, in round and number order).
PHOTOS = 4
FUNDED_NEXT_STEPS = [
    "Kopiena vienojās turpināt: nākamgad to pašu rīkosim bez konkursa atbalsta.",
    "Iegādātais inventārs paliek kopienai; to izmantosim arī citos pasākumos.",
    "Pieredzi izstāstījām kaimiņu kopienām, un divas no tām grib rīkot ko līdzīgu.",
    "Darbu turpinās jaunieši, kuri iniciatīvā iesaistījās pirmo reizi.",
]
RETURN_COMMENT = (
    "Paldies par atskaiti! Lūdzu, papildiniet stāstu: kā iniciatīvā iesaistījās ģimenes, kas "
    "kopienas pasākumos līdz šim nepiedalījās? Un norādiet, cik no dalībniekiem bija bērni."
)


UNDER_WAY = [
    # title, state, activity (ACTIVITIES index), started and ended so many days ago
    ("Senioru un skolēnu datorklubs Preiļos", Initiative.Status.IN_PROGRESS, 22, 30, -20),
    ("Preiļu parka soliņu talka", Initiative.Status.SUBMITTED, 6, 70, 30),
    ("Ģimeņu orientēšanās spēle Preiļu parkā", Initiative.Status.RETURNED, 1, 80, 40),
]


def make_initiatives(users) -> list[Initiative]:
    """The published initiatives and the Preiļi leader's three under way, which it returns;
    without the Latgale communities (the past rounds were skipped then, with a line saying
    so) nothing."""
    communities = {c.slug: c for c in Community.objects.all()}
    if not LOCATIVES.keys() <= communities.keys():
        return []
    leaders = make_leaders(communities, LEADERS_BY_COMMUNITY)
    leaders["preili"] = users["aktiviste@example.lv"]
    coordinator = users["koordinators@example.lv"]
    maker = _Maker(
        coordinator=coordinator,
        groups={g.slug: g for g in TargetGroup.objects.all()},
        elements={e.slug: e.pk for e in ModelElement.objects.all()},
    )
    funded = (
        Initiative.objects.filter(
            application__isnull=False, status=Initiative.Status.SUPPORTED, report__isnull=True
        )
        .select_related("application__round", "application__applicant", "community")
        .order_by("year", "application__number")
    )
    for index, initiative in enumerate(funded):
        maker.funded(initiative, index)
    recorded = set(Initiative.objects.values_list("community_id", "title"))
    for position, slug in enumerate(LOCATIVES):
        community = communities[slug]
        for number in range(OWN_PER_COMMUNITY[position]):
            maker.own(community, leaders[slug], position, number, recorded)
    maker.under_way(communities["preili"], leaders["preili"], recorded)
    return list(
        Initiative.objects.filter(
            community=communities["preili"], title__in=[plan[0] for plan in UNDER_WAY]
        ).order_by("pk")
    )


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def reach_counts(group_slugs, people: int, index: int) -> dict[str, int]:
    """People reached per target group: the first group a third or more of everyone, the
    others fewer; each at least one and never more than all the participants."""
    counts = {}
    for position, slug in enumerate(group_slugs):
        share = (40 - 12 * position + (index % 3) * 5) / 100
        counts[slug] = max(1, min(people, round(people * max(share, 0.1))))
    return counts


class _Maker:
    def __init__(self, *, coordinator, groups, elements):
        self.coordinator = coordinator
        self.groups = groups
        self.elements = elements
        # Where each community's walk through its institution pool has reached, so that every
        # institution near it is named and some by several initiatives.
        self.cursor: dict[str, int] = {}

    def institutions(self, community: Community, count: int) -> list[str]:
        pool = institution_pool(community.slug)
        start = self.cursor.get(community.slug, 0)
        self.cursor[community.slug] = start + count
        # The municipality (the pool's first) is named every fourth time as well.
        names = [pool[(start + n) % len(pool)] for n in range(count)]
        if start % 4 == 0 and pool[0] not in names:
            names.append(pool[0])
        return names

    # --- The supported ideas -----------------------------------------------------------------

    def funded(self, initiative: Initiative, index: int) -> None:
        application = initiative.application
        applicant = application.applicant
        grant_round = application.round
        lifecycle.change_status(
            initiative=initiative, to=Initiative.Status.IN_PROGRESS, actor=applicant
        )
        report = reports.start_report(initiative=initiative)
        people = max(6, (application.expected_participants or 15) + (index % 5 - 2) * 3)
        volunteers = max(2, people // 5 + index % 4)
        groups = list(application.target_groups.order_by("order", "pk"))
        reach = reach_counts([g.slug for g in groups], people, index)
        partners = [
            name.strip() for name in application.partners.split(",") if name.strip()[:1].isupper()
        ]
        institutions = partners + self.institutions(initiative.community, 2)
        done = "Paveicām, kā plānojām: " + lower_first(application.activities)
        reached = ", ".join(g.title.lower() for g in groups) or "kaimiņi"
        results = (
            f"Dalībnieku skaits: {people} — tik, cik cerējām, vai vairāk. Sasniedzām arī tos, "
            f"kurus gribējām iesaistīt: {reached}."
            if people >= (application.expected_participants or 0)
            else f"Dalībnieku bija mazāk, nekā cerējām, bet iesaistījās tie, kuriem to "
            f"visvairāk vajadzēja: {reached}."
        )
        lines = list(report.spending.order_by("order", "pk"))
        spending = self.spending(lines, application.awarded_amount, index)
        own = sum((line.own_contribution for line in application.budget_lines.all()), Decimal(0))
        photos = []
        if index < PHOTOS:
            photos.append(
                reports.PhotoUpload(
                    upload=_sample_photo(100 + index),
                    alt_text=f"Parauga attēls iniciatīvai „{initiative.title}”: krāsaini apļi",
                    caption=f"{initiative.title} {DEMO_MARK}",
                    consent=True,
                )
            )
        self.write_report(
            report,
            actor=applicant,
            fields={
                "activities_done": done,
                "results": results,
                "next_steps": FUNDED_NEXT_STEPS[index % len(FUNDED_NEXT_STEPS)],
                "story": self.story(
                    index,
                    initiative=initiative,
                    when=_when(application.activities),
                    people=people,
                    volunteers=volunteers,
                    partner=institutions[0],
                    done=done,
                    results=results,
                ),
                "participants": people,
                "volunteers": volunteers,
                "own_contribution": own + Decimal(25 * (index % 4)),
            },
            spending=spending,
            reach=reach,
            institutions=institutions,
            elements=list(application.model_elements.values_list("pk", flat=True)),
            photos=photos,
        )
        self.review(report, actor=applicant)
        # Carried out in the summer of the round's year, reported in November.
        ends = datetime.datetime.combine(grant_round.implementation_ends, datetime.time(18))
        self.backdate(
            initiative,
            created=grant_round.results_published_at,
            # Work starts when the window opens, or the day after the results, if later.
            started=max(
                _aware(
                    datetime.datetime.combine(grant_round.implementation_starts, datetime.time(10))
                ),
                grant_round.results_published_at + datetime.timedelta(days=1),
            ),
            submitted=_aware(ends + datetime.timedelta(days=10 + index % 9, hours=index % 5)),
        )

    @staticmethod
    def spending(lines, award: Decimal, index: int) -> dict[int, Decimal]:
        """Spent per budget line, within the award: as planned, a little saved on every third
        line; a partial award shared over the lines in proportion."""
        planned = sum((max(line.planned, Decimal(0)) for line in lines), Decimal(0))
        spent = {}
        for position, line in enumerate(lines):
            # A line paid for by the community beyond its cost plans negative grant money.
            amount = max(line.planned, Decimal(0))
            if planned > award:
                amount = (amount * award / planned).quantize(CENT, ROUND_DOWN)
            if (index + position) % 3 == 0:
                amount = (amount * Decimal("0.94")).quantize(CENT, ROUND_DOWN)
            spent[line.pk] = amount
        return spent

    # --- What communities did on their own ---------------------------------------------------

    def own(self, community: Community, leader, position: int, number: int, recorded) -> None:
        activity = ACTIVITIES[(position * 5 + number) % len(ACTIVITIES)]
        title = f"{activity.title} {LOCATIVES[community.slug]}"
        if (community.pk, title) in recorded:
            return
        count = OWN_PER_COMMUNITY[position]
        year = FIRST_YEAR + number * (LAST_YEAR - FIRST_YEAR + 1) // count
        starts = datetime.date(year, activity.month, 3 + (position * 3 + number * 7) % 22)
        # Nothing reported in the future: an initiative not yet over by today (with time for
        # its report) is last year's.
        if starts + datetime.timedelta(days=60) > timezone.localdate():
            starts = starts.replace(year=starts.year - 1)
        ends = starts + datetime.timedelta(days=(number % 3) * 14)
        index = position * 12 + number
        initiative = lifecycle.record_own_initiative(
            actor=leader,
            community=community,
            title=title,
            year=starts.year,
            summary=f"{activity.summary} {DEMO_MARK}",
            starts_on=starts,
            ends_on=ends,
        )
        people = 6 + (position * 7 + number * 11) % 14
        volunteers = max(2, people // 4 + number % 3)
        institutions = self.institutions(community, 2 + number % 3)
        results = activity.results
        self.write_report(
            reports.start_report(initiative=initiative),
            actor=leader,
            fields={
                "activities_done": activity.done,
                "results": results,
                "next_steps": activity.next_steps,
                "story": self.story(
                    index,
                    initiative=initiative,
                    when=MONTHS_LOCATIVE[activity.month - 1],
                    people=people,
                    volunteers=volunteers,
                    partner=institutions[0],
                    done=activity.done,
                    results=results,
                ),
                "participants": people,
                "volunteers": volunteers,
                "own_contribution": Decimal(20 * (number % 5)),
            },
            spending=None,
            reach=reach_counts(activity.groups, people, index),
            institutions=institutions,
            elements=[self.elements[slug] for slug in (SMALL, *activity.elements)],
        )
        self.review(initiative.report, actor=leader)
        recorded_at = _aware(datetime.datetime.combine(starts, datetime.time(9)))
        self.backdate(
            initiative,
            created=recorded_at - datetime.timedelta(days=2),
            started=recorded_at - datetime.timedelta(days=2),
            submitted=_aware(
                datetime.datetime.combine(ends, datetime.time(19))
                + datetime.timedelta(days=5 + number % 6)
            ),
        )
        recorded.add((community.pk, title))

    # --- The Preiļi leader's three under way ---------------------------------------------------

    def under_way(self, community: Community, leader, recorded) -> None:
        """This year's three Preiļi initiatives the demo activist is still reporting: a draft,
        one submitted and awaiting the coordinator, one returned to her with a comment."""
        today = timezone.localdate()
        for title, state, activity_index, started_ago, ended_ago in UNDER_WAY:
            if (community.pk, title) in recorded:
                continue
            activity = ACTIVITIES[activity_index]
            initiative = lifecycle.record_own_initiative(
                actor=leader,
                community=community,
                title=title,
                year=(today - datetime.timedelta(days=started_ago)).year,
                summary=f"{activity.summary} {DEMO_MARK}",
                starts_on=today - datetime.timedelta(days=started_ago),
                ends_on=today - datetime.timedelta(days=ended_ago),
            )
            report = reports.start_report(initiative=initiative)
            if state == Initiative.Status.IN_PROGRESS:
                reports.save_report(
                    report=report,
                    actor=leader,
                    version=report.version,
                    changes=reports.ReportChanges(
                        fields={
                            "activities_done": (
                                "Pirmās četras nodarbības notikušas bibliotēkā; skolēni palīdz "
                                "senioriem apgūt viedtālruni."
                            ),
                            "participants": 14,
                        }
                    ),
                )
                recorded.add((community.pk, title))
                continue
            people = 26 if state == Initiative.Status.SUBMITTED else 34
            self.write_report(
                report,
                actor=leader,
                fields={
                    "activities_done": activity.done,
                    "results": activity.results,
                    "next_steps": activity.next_steps,
                    "story": (
                        f"Sanācām kopā un paveicām, ko bijām iecerējuši. Kopā bijām {people}. "
                        f"{DEMO_MARK}"
                    ),
                    "participants": people,
                    "volunteers": 6,
                    "own_contribution": Decimal(0),
                },
                spending=None,
                reach=reach_counts(activity.groups, people, 0),
                institutions=["Preiļu bibliotēka", "Preiļu novada pašvaldība"],
                elements=[self.elements[SMALL], self.elements[activity.elements[0]]],
            )
            reports.submit_report(report=report, actor=leader)
            if state == Initiative.Status.RETURNED:
                reports.return_report(
                    initiative=initiative, actor=self.coordinator, comment=RETURN_COMMENT
                )
            recorded.add((community.pk, title))

    # --- Shared --------------------------------------------------------------------------------

    def story(self, index, *, initiative, when, people, volunteers, partner, done, results):
        """The team's story from one of STORIES; `when` is a locative ("maijā", "vasarā")."""
        template = STORIES[index % len(STORIES)]
        # Mid-sentence an association's kind is written in lower case: "palīdzēja biedrība „…”".
        if partner.startswith(("Biedrība ", "Klubs ", "Zemnieku saimniecība ")):
            partner = lower_first(partner)
        return (
            template.format(
                title=initiative.title,
                community=initiative.community.name,
                month=when,
                month_cap=when.capitalize(),
                people=people,
                volunteers=volunteers,
                partner=partner,
                done=done,
                results=results,
            )
            + f" {DEMO_MARK}"
        )

    def write_report(
        self, report, *, actor, fields, spending, reach, institutions, elements, photos=()
    ):
        result = reports.save_report(
            report=report,
            actor=actor,
            version=report.version,
            changes=reports.ReportChanges(
                fields=fields,
                spending=spending,
                reach={self.groups[slug].pk: count for slug, count in reach.items()},
                institutions=institutions,
                model_elements=elements,
                photos=list(photos),
            ),
        )
        if result.errors:
            raise ValueError(f"{report.initiative}: {result.errors}")
        return result.report

    def review(self, report: FinalReport, *, actor) -> None:
        """The team submits; the coordinator accepts and publishes."""
        reports.submit_report(report=report, actor=actor)
        reports.accept_report(initiative=report.initiative, actor=self.coordinator)
        reports.publish_initiative(initiative=report.initiative, actor=self.coordinator)

    @staticmethod
    def backdate(initiative, *, created, started, submitted) -> None:
        """The services stamped everything "now": move it to when it happened. Work starts,
        the report is submitted, accepted a few days later and published the day after."""
        accepted = submitted + datetime.timedelta(days=4, hours=2)
        published = accepted + datetime.timedelta(days=1, hours=1)
        at = {
            Initiative.Status.SUPPORTED: created,
            Initiative.Status.IN_PROGRESS: started,
            Initiative.Status.SUBMITTED: submitted,
            Initiative.Status.ACCEPTED: accepted,
            Initiative.Status.PUBLISHED: published,
        }
        for pk, after in InitiativeHistory.objects.filter(initiative=initiative).values_list(
            "pk", "after"
        ):
            InitiativeHistory.objects.filter(pk=pk).update(at=at[after["status"]])
        Initiative.objects.filter(pk=initiative.pk).update(
            created_at=created, updated_at=published, published_at=published
        )
        FinalReport.objects.filter(initiative=initiative).update(
            submitted_at=submitted, accepted_at=accepted, updated_at=submitted
        )
        ReportPhoto.objects.filter(report__initiative=initiative).update(
            uploaded_at=submitted - datetime.timedelta(hours=1)
        )


def _when(activities: str) -> str:
    """When a supported idea was carried out: the month its plan names ("sporta diena
    februārī"), else the summer of its round's implementation window."""
    words = activities.lower().replace(",", " ").replace(".", " ").split()
    return next((word for word in words if word in MONTHS_LOCATIVE), "vasarā")


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment, timezone.get_current_timezone())
