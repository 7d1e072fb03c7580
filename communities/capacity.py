"""Writes of the capacity self-assessment (issue 16): the first instrument, rounds, members'
answers, the consensus and the plan.

Rules worth knowing:
- One round at a time: a community cannot open a round while one is still open (its closing
  day is today or later). The community's row is locked while checking, so two leaders
  clicking at once make one round.
- Answers are accepted from the opening day through the closing day, Riga's calendar. Saving
  again replaces the person's answers (a draft, or a submission) until the round closes; the
  unique constraint on (round, person, dimension) makes a second row impossible.
- The consensus may be recorded once at least one member has submitted their answers, also
  while the round is still open (a community that meets before the closing day need not wait),
  and recording it again replaces it: the leader writes down what the community agreed, which
  may change as more voices come in.
"""

from collections.abc import Mapping
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import riga_today

from . import permissions
from .capacity_levels import FIRST_INSTRUMENT
from .models import (
    CAPACITY_LEVELS,
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityDimension,
    CapacityInstrument,
    CapacityLevel,
    Community,
    Membership,
)

TEXT_LIMIT = 2000
TITLE_LIMIT = 200
ACTION_LIMIT = 500


def ensure_first_instrument() -> CapacityInstrument | None:
    """Version 1 of the instrument from the eight dimensions, when there is no version yet.

    Afterwards the instrument is the coordinators' (they edit it in the admin), so a second
    run, like `load_latgale`'s, changes nothing.
    """
    if CapacityInstrument.objects.exists():
        return None
    dimensions = list(CapacityDimension.objects.filter(slug__in=FIRST_INSTRUMENT))
    if not dimensions:
        return None
    with transaction.atomic():
        instrument = CapacityInstrument.objects.create(number=1, is_published=True)
        CapacityLevel.objects.bulk_create(
            CapacityLevel(instrument=instrument, dimension=dimension, level=level, text=text)
            for dimension in dimensions
            for level, text in zip(CAPACITY_LEVELS, FIRST_INSTRUMENT[dimension.slug], strict=True)
        )
    return instrument


def current_instrument() -> CapacityInstrument | None:
    """The version new rounds are made with: the newest published one."""
    return CapacityInstrument.objects.filter(is_published=True).order_by("-number").first()


def instrument_dimension_ids(instrument: CapacityInstrument) -> list[int]:
    return list(
        CapacityDimension.objects.filter(levels__instrument=instrument)
        .distinct()
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )


def _level(value, *, field: str) -> int:
    """A level on the scale, from a form's string or a number; anything else is refused."""
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if level not in CAPACITY_LEVELS:
        raise ValidationError(
            {
                field: _("Izvēlieties līmeni no %(low)s līdz %(high)s.")
                % {"low": CAPACITY_LEVELS[0], "high": CAPACITY_LEVELS[-1]}
            }
        )
    return level


def _text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Šis lauks ir obligāts.")})
    if len(value) > limit:
        raise ValidationError({field: _("Ne vairāk kā %(limit)s rakstzīmes.") % {"limit": limit}})
    return value


# --- Rounds ------------------------------------------------------------------------------------


def open_round(
    *,
    community: Community,
    opened_by,
    title: str,
    opens_on: date,
    closes_on: date,
    today: date | None = None,
) -> AssessmentRound:
    """Open a round with the current instrument: the community's first is its baseline."""
    if not permissions.can_lead_capacity(opened_by, community):
        raise PermissionDenied
    today = today or riga_today()
    title = _text(title, field="title", limit=TITLE_LIMIT, required=True)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("Beigu datums nevar būt agrāks par sākuma datumu.")})
    if closes_on < today:
        raise ValidationError({"closes_on": _("Beigu datums nevar būt pagātnē.")})
    instrument = current_instrument()
    if instrument is None:
        raise ValidationError(_("Nav publicētas novērtēšanas instrumenta versijas."))
    with transaction.atomic():
        # The lock makes "no open round" and the new row one step for concurrent leaders.
        Community.objects.select_for_update().get(pk=community.pk)
        rounds = AssessmentRound.objects.filter(community=community)
        if rounds.filter(closes_on__gte=today).exists():
            raise ValidationError(
                _("Kopienai jau ir atvērta novērtēšanas kārta. Jaunu var atvērt, kad tā beigsies.")
            )
        kind = AssessmentRound.Kind.FOLLOW_UP if rounds.exists() else AssessmentRound.Kind.BASELINE
        round_ = AssessmentRound(
            community=community,
            instrument=instrument,
            kind=kind,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            opened_by=opened_by,
        )
        round_.full_clean()
        round_.save()
    return round_


# --- Answers -----------------------------------------------------------------------------------


def submit_answers(
    *,
    round_: AssessmentRound,
    person,
    answers: Mapping[int, tuple[object, str]],
    final: bool,
    today: date | None = None,
    now: datetime | None = None,
) -> list[CapacityAnswer]:
    """Save a member's levels and comments by dimension id, replacing what they saved before.

    `final` submits them (every dimension needs a level); otherwise they are a draft, which
    only the person sees and which counts in no spread.
    """
    community = round_.community
    if not permissions.can_answer_capacity(person, community):
        raise PermissionDenied
    today = today or riga_today()
    if not round_.is_open_on(today):
        raise ValidationError(
            _("Šī kārta nav atvērta: atbildes pieņem no %(opens)s līdz %(closes)s.")
            % {"opens": round_.opens_on.isoformat(), "closes": round_.closes_on.isoformat()}
        )
    dimension_ids = instrument_dimension_ids(round_.instrument)
    unknown = set(answers) - set(dimension_ids)
    if unknown:
        raise ValidationError(_("Atbilde attiecas uz dimensiju, kuras šajā kārtā nav."))
    cleaned: dict[int, tuple[int, str]] = {}
    errors: dict[str, list] = {}
    for dimension_id in dimension_ids:
        level, comment = answers.get(dimension_id, (None, ""))
        try:
            comment = _text(comment, field=f"comment-{dimension_id}", limit=TEXT_LIMIT)
            if level in (None, ""):
                if final:
                    raise ValidationError(
                        {f"level-{dimension_id}": _("Izvēlieties līmeni šai dimensijai.")}
                    )
                if comment:
                    raise ValidationError(
                        {f"level-{dimension_id}": _("Komentāram izvēlieties arī līmeni.")}
                    )
                continue
            cleaned[dimension_id] = (_level(level, field=f"level-{dimension_id}"), comment)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Izvēlieties līmeni vismaz vienai dimensijai."))
    submitted_at = (now or timezone.now()) if final else None
    with transaction.atomic():
        # One person's saves one after the other: a double click replaces, never adds.
        AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        saved = []
        for dimension_id, (level, comment) in cleaned.items():
            answer, _created = CapacityAnswer.objects.update_or_create(
                round=round_,
                person=person,
                dimension_id=dimension_id,
                defaults={"level": level, "comment": comment, "submitted_at": submitted_at},
            )
            saved.append(answer)
        # A draft that leaves a dimension out leaves out its earlier draft too.
        CapacityAnswer.objects.filter(round=round_, person=person).exclude(
            dimension_id__in=cleaned
        ).delete()
    return saved


# --- Consensus ---------------------------------------------------------------------------------


def record_consensus(
    *,
    round_: AssessmentRound,
    recorded_by,
    entries: Mapping[int, tuple[object, str, str]],
) -> list[CapacityConsensus]:
    """Record (or replace) the agreed level, its reason and evidence, by dimension id.

    A dimension left without a level is left as it was; one with a level needs a reason.
    """
    if not permissions.can_lead_capacity(recorded_by, round_.community):
        raise PermissionDenied
    dimension_ids = instrument_dimension_ids(round_.instrument)
    if set(entries) - set(dimension_ids):
        raise ValidationError(_("Vienošanās attiecas uz dimensiju, kuras šajā kārtā nav."))
    cleaned: dict[int, tuple[int, str, str]] = {}
    errors: dict[str, list] = {}
    for dimension_id in dimension_ids:
        if dimension_id not in entries:
            continue
        level, reason, evidence = entries[dimension_id]
        try:
            reason = _text(reason, field=f"reason-{dimension_id}", limit=TEXT_LIMIT)
            evidence = _text(evidence, field=f"evidence-{dimension_id}", limit=TEXT_LIMIT)
            if level in (None, ""):
                if reason or evidence:
                    raise ValidationError(
                        {f"level-{dimension_id}": _("Pamatojumam izvēlieties arī līmeni.")}
                    )
                continue
            level = _level(level, field=f"level-{dimension_id}")
            if not reason:
                message = _("Uzrakstiet, kāpēc kopiena vienojās par šo līmeni.")
                raise ValidationError({f"reason-{dimension_id}": message})
            cleaned[dimension_id] = (level, reason, evidence)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(_("Izvēlieties līmeni vismaz vienai dimensijai."))
    with transaction.atomic():
        AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        if not round_.answers.filter(submitted_at__isnull=False).exists():
            raise ValidationError(
                _(
                    "Vienošanos var ierakstīt, kad vismaz viens dalībnieks ir iesniedzis savas "
                    "atbildes."
                )
            )
        saved = []
        for dimension_id, (level, reason, evidence) in cleaned.items():
            consensus, _created = CapacityConsensus.objects.update_or_create(
                round=round_,
                dimension_id=dimension_id,
                defaults={
                    "level": level,
                    "reason": reason,
                    "evidence": evidence,
                    "recorded_by": recorded_by,
                },
            )
            saved.append(consensus)
    return saved


# --- The plan ----------------------------------------------------------------------------------


def add_action_item(
    *,
    round_: AssessmentRound,
    by,
    dimension_id: int,
    text: str,
    owner_id: int | None = None,
    due_on: date | None = None,
) -> ActionItem:
    """A step of the community's plan after a round, for one dimension."""
    community = round_.community
    if not permissions.can_lead_capacity(by, community):
        raise PermissionDenied
    if dimension_id not in instrument_dimension_ids(round_.instrument):
        raise ValidationError({"dimension": _("Izvēlieties dimensiju no saraksta.")})
    text = _text(text, field="text", limit=ACTION_LIMIT, required=True)
    if (
        owner_id is not None
        and not Membership.objects.filter(
            user_id=owner_id, community=community, status=Membership.Status.ACTIVE
        ).exists()
    ):
        raise ValidationError({"owner": _("Atbildīgajam jābūt kopienas dalībniekam.")})
    item = ActionItem(
        round=round_, dimension_id=dimension_id, text=text, owner_id=owner_id, due_on=due_on
    )
    item.full_clean()
    item.save()
    return item


def set_action_item_status(*, item: ActionItem, by, status: str) -> ActionItem:
    if not permissions.can_lead_capacity(by, item.round.community):
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Izvēlieties statusu no saraksta.")})
    with transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(status=status)
    item.status = status
    return item
