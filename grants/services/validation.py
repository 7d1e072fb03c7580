"""The full check of an application before it is submitted (and of every later change to a
submitted one), and the deadlines: what a draft may lack, a submission may not."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from core.formats import latvian_date, money

from ..models import Application, BudgetLine, GrantRound

# Every text but the partners is written before submitting.
REQUIRED_FIELDS = [name for name in Application.TEXT_FIELDS if name != "partners"]
NON_FIELD = "__all__"
LINES = "lines"


class DeadlinePassed(Exception):
    pass


def too_many_lines_message(count: int) -> str:
    return _(
        "Budžetā var būt ne vairāk kā %(max)s pozīcijas, bet nosūtītas %(count)s. Apvienojiet "
        "vai izdzēsiet liekās; budžeta izmaiņas netika saglabātas."
    ) % {"max": BudgetLine.MAX_PER_APPLICATION, "count": count}


def submission_errors(*, application: Application) -> dict[str, list[str]]:
    """What stands between this application and submission, in Latvian, keyed by field."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    grant_round = application.round
    for name in REQUIRED_FIELDS:
        if not (getattr(application, name) or "").strip():
            add(name, _("Aizpildiet šo lauku, lai pieteikumu varētu iesniegt."))
    if not application.expected_participants:
        add("expected_participants", _("Norādiet plānoto dalībnieku skaitu."))
    if application.pk and not application.target_groups.exists():
        add("target_groups", _("Izvēlieties vismaz vienu mērķgrupu."))
    starts, ends = application.starts_on, application.ends_on
    if starts is None:
        add("starts_on", _("Norādiet īstenošanas sākuma datumu."))
    elif starts < grant_round.implementation_starts:
        add(
            "starts_on",
            _("Īstenošanas sākums nevar būt agrāks par konkursā noteikto: %(date)s.")
            % {"date": latvian_date(grant_round.implementation_starts)},
        )
    if ends is None:
        add("ends_on", _("Norādiet īstenošanas beigu datumu."))
    elif ends > grant_round.implementation_ends:
        add(
            "ends_on",
            _("Īstenošanas beigas nevar būt vēlākas par konkursā noteiktajām: %(date)s.")
            % {"date": latvian_date(grant_round.implementation_ends)},
        )
    if starts and ends and ends < starts:
        add("ends_on", _("Beigu datums nevar būt agrāks par sākuma datumu."))
    if (
        application.applicant_id
        and not Membership.objects.filter(
            user_id=application.applicant_id,
            community_id=application.community_id,
            status=Membership.Status.ACTIVE,
        ).exists()
    ):
        add("community", _("Pieteikties var tikai kopienas vārdā, kuras aktīvs dalībnieks esat."))

    lines = list(application.budget_lines.all()) if application.pk else []
    if not lines:
        add(LINES, _("Pievienojiet vismaz vienu budžeta pozīciju."))
    if len(lines) > BudgetLine.MAX_PER_APPLICATION:
        add(LINES, too_many_lines_message(len(lines)))
    for number, line in enumerate(lines, start=1):
        if not line.category:
            add(LINES, _("%(number)s. pozīcijai izvēlieties kategoriju.") % {"number": number})
        if not line.item.strip() or line.quantity is None or line.unit_price is None:
            add(
                LINES,
                _("%(number)s. pozīcijai norādiet nosaukumu, daudzumu un vienības cenu.")
                % {"number": number},
            )
        elif line.quantity <= 0:
            add(
                LINES,
                _("%(number)s. pozīcijas daudzumam jābūt lielākam par 0.") % {"number": number},
            )
        if line.own_contribution < 0:
            add(
                LINES,
                _("%(number)s. pozīcijas līdzfinansējums nevar būt negatīvs.") % {"number": number},
            )
        elif line.own_contribution > line.total:
            add(
                LINES,
                _("%(number)s. pozīcijas līdzfinansējums nevar pārsniegt tās kopsummu %(total)s.")
                % {"number": number, "total": money(line.total)},
            )
    requested = sum((line.requested for line in lines), Decimal(0))
    if lines and requested <= 0:
        add(LINES, _("Prasītajai summai jābūt lielākai par 0 €."))
    elif requested > grant_round.max_grant:
        add(
            LINES,
            _("Prasītā summa %(requested)s pārsniedz lielāko pieļaujamo atbalstu %(max)s.")
            % {"requested": money(requested), "max": money(grant_round.max_grant)},
        )
    return errors


def check_deadline(grant_round: GrantRound, now: datetime) -> None:
    if now > grant_round.closes_at:
        raise DeadlinePassed
    if grant_round.status != GrantRound.Status.OPEN or now < grant_round.opens_at:
        raise DeadlinePassed


def check_deadline_for_change(grant_round: GrantRound) -> None:
    if timezone.now() > grant_round.closes_at:
        raise DeadlinePassed
