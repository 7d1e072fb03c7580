"""A round's assessment for coordinators: XLSX and CSV (for Excel under Latvian regional
settings: a BOM, semicolons, decimal commas).

One row per competing application: who applied and for how much, every assessor's points per
criterion with their weighted total and conflict state, the application's figures and the
decision. Every figure comes from grants.selectors (figures_in_order, which round_figures is made
of, and the weighted totals the service stored on each assessment), so the export cannot
disagree with the admin's ranking.

Points and totals are shown for submitted assessments only: a draft is unfinished work. A
conflicted assessment keeps its points in the export (for the record) and its conflict state
says why the figures leave it out.

Both exports are streamed: the applications, their figures, the sums they ask for, their
assessments and their scores are read a chunk at a time, five queries walked side by side in
the order of the applications (core.streams), and each row is written as soon as it is made
(the XLSX to a temporary file, the CSV to the response). Memory holds a chunk of rows, however
large the round, and the number of queries does not depend on the number of applications.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from core.formats import CENT
from core.spreadsheets import (
    LATVIAN_CSV_DELIMITER,
    StreamedWorkbook,
    csv_pieces,
    latvian_csv_cell,
)
from core.streams import Grouped
from core.text import fold

from . import selectors
from .models import Application, Assessment, Criterion, GrantRound, Score

# Rows read from the database at a time (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 500
NO_SCORE = (None, None)
NO_FIGURES = selectors.Figures()

# Column kinds, each with its XLSX number format and width.
TEXT, LONG_TEXT, MONEY, POINTS, FIGURE, COUNT, FLAG, WHEN = (
    "text", "long", "money", "points", "figure", "count", "flag", "when"
)  # fmt: skip
NUMBER_FORMATS = {
    MONEY: "#,##0.00",
    POINTS: "0",
    FIGURE: "0.00",
    COUNT: "0",
    WHEN: "yyyy-mm-dd hh:mm",
}
WIDTHS = {
    TEXT: 24,
    LONG_TEXT: 40,
    MONEY: 14,
    POINTS: 10,
    FIGURE: 12,
    COUNT: 10,
    FLAG: 12,
    WHEN: 17,
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str
    width: int | None = None


@dataclass(frozen=True)
class Slot:
    """One assessor's group of columns: a person, or the n-th assessment in an application
    whose assessor has since deleted their account."""

    label: str
    assessor_pk: int | None = None
    deleted_index: int = 0

    @property
    def key(self) -> tuple:
        if self.assessor_pk is not None:
            return ("person", self.assessor_pk)
        return ("deleted", self.deleted_index)


class Given(NamedTuple):
    """The few columns of an assessment a row needs."""

    pk: int
    status: str
    conflict: str
    auto_conflict: str
    weighted_total: Decimal | None


@dataclass
class Table:
    columns: list[Column]
    comment_columns: list[Column]
    # Each application's row and its rows of comments, made as they are read: the queries run
    # when the first row is asked for.
    rows: Iterator[tuple[list, list[list]]]


def round_csv(*, grant_round: GrantRound) -> Iterator[bytes]:
    """The round's table as CSV in the form Excel under Latvian regional settings opens as a
    table: UTF-8 with a BOM, semicolon-separated, decimal commas ("1234,50"), times in Riga as
    "2026-11-26 14:00". The header is known now; the rows are read as the bytes are taken
    (StreamingHttpResponse)."""
    table = _table(grant_round)
    return csv_pieces(
        [column.title for column in table.columns],
        (row for row, _comments in table.rows),
        cell=latvian_csv_cell,
        delimiter=LATVIAN_CSV_DELIMITER,
    )


def round_xlsx(*, grant_round: GrantRound) -> IO[bytes]:
    """The round's table as XLSX (numbers as numbers, frozen header, a filter on every column),
    with a second sheet of every submitted assessment's points and comments: a temporary file,
    read from its start, for the caller to close (FileResponse does)."""
    table = _table(grant_round)
    with StreamedWorkbook() as workbook:
        # The header and each row's reference and title stay in view.
        assessed = _sheet(workbook, _("Vērtējumi"), table.columns, freeze="C2")
        comments = _sheet(workbook, _("Komentāri"), table.comment_columns)
        for row, comment_rows in table.rows:
            assessed.append(row)
            for comment_row in comment_rows:
                comments.append(comment_row)
        return workbook.save()


def _sheet(workbook: StreamedWorkbook, title: str, columns: list[Column], *, freeze="A2"):
    sheet = workbook.add_sheet(
        title,
        widths=[column.width or WIDTHS[column.kind] for column in columns],
        number_formats=[NUMBER_FORMATS.get(column.kind) for column in columns],
        freeze=freeze,
    )
    sheet.header([column.title for column in columns])
    return sheet


# --- The table -------------------------------------------------------------------------------


def _table(grant_round: GrantRound) -> Table:
    """The round's columns (a few queries now); the rows' queries run when the first row is
    read."""
    criteria = list(Criterion.objects.filter(round=grant_round).order_by("order", "pk"))
    slots = _slots(grant_round)

    columns = [
        Column(_("Numurs"), TEXT, 14),
        Column(_("Iniciatīva"), LONG_TEXT),
        Column(_("Kopiena"), TEXT, 30),
        Column(_("Pieteicējs"), TEXT),
        Column(_("E-pasts"), TEXT, 30),
        Column(_("Prasītā summa, EUR"), MONEY),
    ]
    for slot in slots:
        columns += [
            Column(
                _("%(assessor)s: %(criterion)s")
                % {"assessor": slot.label, "criterion": criterion.title},
                POINTS,
            )
            for criterion in criteria
        ]
        columns += [
            Column(_("%(assessor)s: vērtējums (0–100)") % {"assessor": slot.label}, FIGURE),
            Column(_("%(assessor)s: interešu konflikts") % {"assessor": slot.label}, TEXT),
        ]
    columns += [
        Column(_("Vērtējumu skaits"), COUNT),
        Column(_("Izslēgti interešu konflikta dēļ"), COUNT),
        Column(_("Vidējais vērtējums"), FIGURE),
        Column(_("Mediāna"), FIGURE),
        Column(_("Izkliede (lielākais − mazākais)"), FIGURE),
        Column(_("Pretrunīgi vērtēts"), FLAG),
        Column(_("Lēmums"), TEXT, 18),
        Column(_("Piešķirtā summa, EUR"), MONEY),
        Column(_("Paziņots"), WHEN),
    ]
    return Table(
        columns=columns,
        comment_columns=_comment_columns(criteria),
        rows=_rows(grant_round, criteria, slots, _Labels()),
    )


class _Labels:
    """The words of the rows, translated now: the rows of a streamed CSV are made after the
    view has returned."""

    def __init__(self):
        self.yes, self.no = _("Jā"), _("Nē")
        self.decisions = {value: str(label) for value, label in Application.Decision.choices}
        self.conflicts = {value: str(label) for value, label in Assessment.Conflict.choices}
        self.auto_conflicts = {
            value: str(label) for value, label in Assessment.AutoConflict.choices
        }

    def conflict_state(self, given: Given | None, auto: str) -> str:
        """What the figures know of the assessor's conflict of interest: one the platform
        found (stored on the assessment, or for an unopened one while the round is assessed)
        excludes the assessment whatever was declared."""
        reason = auto or (given.auto_conflict if given else "")
        if reason:
            return self.auto_conflicts[reason]
        if given is None:
            return self.conflicts[Assessment.Conflict.UNDECLARED]
        return self.conflicts[given.conflict]


def _rows(
    grant_round: GrantRound, criteria: list[Criterion], slots: list[Slot], labels: _Labels
) -> Iterator[tuple[list, list[list]]]:
    round_assessors = set(grant_round.assessors.values_list("pk", flat=True))
    conflicts = selectors.unopened_conflicts(grant_round=grant_round, assessors=round_assessors)
    competing = Q(application__round=grant_round, application__status__in=Application.COMPETING)
    # Five queries in the same order (the applications' numbers, then their keys), walked side
    # by side a chunk at a time: each hands over the rows of the application at hand.
    applications = (
        selectors.competing_applications(grant_round=grant_round)
        .select_related("community", "applicant")
        .only(
            "community",
            "applicant",
            "number",
            "reference",
            "title",
            "decision",
            "awarded_amount",
            "notified_at",
            "community__name",
            "applicant__username",
            "applicant__first_name",
            "applicant__last_name",
            "applicant__email",
        )
        .order_by(*selectors.in_round_order())
        .iterator(chunk_size=CHUNK_SIZE)
    )
    figures = Grouped(selectors.figures_in_order(grant_round=grant_round, chunk_size=CHUNK_SIZE))
    requested = Grouped(
        selectors.requested_in_order(grant_round=grant_round, chunk_size=CHUNK_SIZE)
    )
    assessments = Grouped(
        Assessment.objects.filter(competing)
        .order_by(*selectors.in_round_order("application__"), "pk")
        .values_list(
            "application__number",
            "application_id",
            "assessor_id",
            "pk",
            "status",
            "conflict",
            "auto_conflict",
            "weighted_total",
        )
        .iterator(chunk_size=CHUNK_SIZE),
        key=selectors.InRound.of_row,
    )
    scores = Grouped(
        Score.objects.filter(
            assessment__application__round=grant_round,
            assessment__application__status__in=Application.COMPETING,
            assessment__status=Assessment.Status.SUBMITTED,
        )
        .order_by(*selectors.in_round_order("assessment__application__"))
        .values_list(
            "assessment__application__number",
            "assessment__application_id",
            "assessment_id",
            "criterion_id",
            "points",
            "comment",
        )
        .iterator(chunk_size=CHUNK_SIZE),
        key=selectors.InRound.of_row,
    )

    for application in applications:
        place = selectors.InRound.of(application.number, application.pk)
        # An application that began to compete after the figures were read has none yet.
        figure = next((figure for _place, figure in figures.take(place)), NO_FIGURES)
        by_slot: dict[tuple, Given] = {}
        deleted = 0
        for _number, _application, assessor_pk, *given in assessments.take(place):
            if assessor_pk is None:
                deleted += 1
                by_slot[("deleted", deleted)] = Given(*given)
            else:
                by_slot[("person", assessor_pk)] = Given(*given)
        # (points, comment) by assessment and criterion.
        scored: dict[int, dict[int, tuple[int | None, str]]] = {}
        for _number, _application, assessment_pk, criterion_pk, points, comment in scores.take(
            place
        ):
            scored.setdefault(assessment_pk, {})[criterion_pk] = (points, comment)

        asked = requested.take(place)  # none without budget lines
        applicant = application.applicant
        row = [
            application.reference,
            application.title,
            application.community.name,
            _person(applicant) if applicant else "",
            applicant.email if applicant else "",
            _money(asked[0][1] if asked else Decimal("0.00")),
        ]
        comment_rows = []
        for slot in slots:
            given = by_slot.get(slot.key)
            submitted = given is not None and given.status == Assessment.Status.SUBMITTED
            points = scored.get(given.pk, {}) if submitted else {}
            row += [points.get(criterion.pk, NO_SCORE)[0] for criterion in criteria]
            if points:
                comment_row = [application.reference, application.title, slot.label]
                for criterion in criteria:
                    comment_row += points.get(criterion.pk, NO_SCORE)
                comment_rows.append(comment_row)
            row.append(given.weighted_total if submitted else None)
            auto = "" if given else conflicts.get((slot.assessor_pk, application.pk), "")
            row.append(labels.conflict_state(given, auto))
        row += [
            figure.count,
            figure.excluded,
            figure.mean,
            figure.median,
            figure.spread,
            labels.yes if figure.disagreement else labels.no,
            labels.decisions.get(application.decision, application.decision),
            _money(application.awarded_amount),
            application.notified_at,
        ]
        yield row, comment_rows


def _slots(grant_round: GrantRound) -> list[Slot]:
    """The assessors' column groups in a stable order: by name, then account; the round's
    assessors and anyone who assessed in it (an assessor removed from the round keeps their
    column). Assessments whose assessor deleted their account come last, numbered: as many
    as the application with the most of them has."""
    User = get_user_model()
    competing = Assessment.objects.filter(
        application__round=grant_round, application__status__in=Application.COMPETING
    )
    people = list(
        User.objects.filter(
            Q(pk__in=grant_round.assessors.values("pk"))
            | Q(pk__in=competing.exclude(assessor=None).values("assessor_id"))
        ).only("pk", "username", "first_name", "last_name")
    )
    # Sorted here rather than by the database, whose collation differs between SQLite and
    # PostgreSQL: "Ābola" next to "Abele", the same on both.
    people.sort(
        key=lambda person: (
            fold(person.last_name),
            fold(person.first_name),
            person.username,
            person.pk,
        )
    )
    labels = [_person(person) for person in people]
    repeated = {label for label, count in Counter(labels).items() if count > 1}
    slots = [
        Slot(
            label=f"{label} ({person.username})" if label in repeated else label,
            assessor_pk=person.pk,
        )
        for person, label in zip(people, labels, strict=True)
    ]
    deleted = (
        competing.filter(assessor=None)
        .values("application_id")
        .annotate(count=Count("pk"))
        .aggregate(most=Max("count"))["most"]
    )
    for index in range(1, (deleted or 0) + 1):
        slots.append(
            Slot(
                label=_("Dzēsts vērtētāja konts %(number)s") % {"number": index},
                deleted_index=index,
            )
        )
    return slots


def _money(value: Decimal | None) -> Decimal | None:
    # PostgreSQL keeps the scale of a product (1 × 1234.50 = 1234.5000); show cents.
    return None if value is None else value.quantize(CENT)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _comment_columns(criteria: list[Criterion]) -> list[Column]:
    """One row per submitted assessment, each criterion's points beside its comment: a row per
    score would triple the cells of a large round's export."""
    columns = [
        Column(_("Numurs"), TEXT, 14),
        Column(_("Iniciatīva"), LONG_TEXT),
        Column(_("Vērtētājs"), TEXT),
    ]
    for criterion in criteria:
        columns += [
            Column(_("%(criterion)s: punkti") % {"criterion": criterion.title}, POINTS),
            Column(_("%(criterion)s: komentārs") % {"criterion": criterion.title}, LONG_TEXT, 60),
        ]
    return columns
