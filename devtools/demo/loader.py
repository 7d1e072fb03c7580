"""The whole demo load in one transaction, quietly as to mail, and the summary it prints.

Each part is idempotent on its own (accounts by address, centres only where empty, rounds by
address, events by their prefix, booking rules only on untouched items, bookings only while
there are none), so a second run adds nothing and keeps what coordinators changed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test.utils import override_settings

from communities.models import AssessmentRound
from core.formats import money
from grants.models import Application, GrantRound
from initiatives.models import Initiative

from .bookings import make_bookings, upcoming_bookings_line
from .capacity import BASELINE, FOLLOW_UP, make_capacity_rounds
from .centres_and_events import fill_in_centres, make_events
from .common import DEMO_PASSWORD
from .initiatives import make_initiatives
from .open_round import make_open_round
from .past_rounds import make_past_rounds
from .people import DEMO_ACCOUNTS, STAFF_TWO_FACTOR_HINT, make_accounts

LOCMEM_MAILER = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class DemoData:
    open_round: GrantRound
    past_rounds: list[GrantRound]
    # The demo activist's initiatives still being reported (initiatives.make_initiatives).
    under_way: list[Initiative]


def load_demo_data(*, out) -> DemoData:
    """Accounts, centres' details, the open round, the past rounds, the events, the bookings
    of the centres' items and the initiatives. `out` (a
    command's stdout or any text stream) gets the line saying the past rounds were skipped,
    when the Latgale communities are missing."""
    # Publishing the past rounds' results queues one decision mail per application, sent
    # when the transaction commits (grants.services.publish_results). Those applicants were
    # told in 2019–2021, and in development the mailer is the console: dozens of mails
    # would bury the demo logins printed below. So for this transaction, commit included,
    # mail goes to the in-memory (locmem) backend and is dropped with the process. The outbox
    # delivers each mail at the commit, here (OUTBOX_DELIVER_ON_COMMIT), not later in `make
    # run`'s worker, which then finds them sent.
    mailers = getattr(settings, "MAILERS", None) or {"default": {}}
    quiet = {alias: {"BACKEND": LOCMEM_MAILER} for alias in mailers}
    with override_settings(MAILERS=quiet, OUTBOX_DELIVER_ON_COMMIT=True), transaction.atomic():
        users = make_accounts()
        fill_in_centres()
        open_round = make_open_round(users)
        past_rounds = make_past_rounds(users, out=_Lines(out))
        make_events()
        under_way = make_initiatives(users)
        # After the initiatives: their leaders are the voices of the self-assessment.
        make_capacity_rounds()
        # Last: the communities' leaders (made with the initiatives) book too.
        make_bookings(users)
    return DemoData(open_round=open_round, past_rounds=past_rounds, under_way=under_way)


def write_summary(demo: DemoData, *, out, style) -> None:
    """What `manage.py demo_data` prints: the rounds with their figures, the demo logins."""
    out = _Lines(out)
    out.write(style.SUCCESS("Parauga dati gatavi."))
    _write_rounds(demo.past_rounds, demo.open_round, out=out)
    if demo.under_way:
        _write_initiatives(demo.under_way, out=out)
    if line := upcoming_bookings_line():
        out.write(line)
    communities = (
        AssessmentRound.objects.filter(title__in=[BASELINE[0], FOLLOW_UP[0]])
        .order_by()
        .values("community")
        .distinct()
        .count()
    )
    if communities:
        out.write(
            f"  Rīcībspējas pašnovērtējums: 2019. un 2022. gada kārtas {communities} kopienām "
            "(piemēram, /kopienas/preili/ricibspeja/rezultati/)"
        )
    out.write(f"Demo konti (parole visiem: {DEMO_PASSWORD}):")
    if demo.past_rounds:
        out.write(
            f"  {'aktivists.<kopiena>@example.lv':32} kopienu aktīvisti ar iepriekšējo "
            "konkursu pieteikumiem un lēmumiem /mans/ (piemēram, aktivists.preili@example.lv)"
        )
    if demo.under_way:
        out.write(
            f"  {'lideris.<kopiena>@example.lv':32} kopienu līderi, kas reģistrē kopienas pašas "
            "īstenotās iniciatīvas un raksta to atskaites (piemēram, lideris.dagda@example.lv)"
        )
    for email, *_rest, description in DEMO_ACCOUNTS:
        out.write(f"  {email:32} {description}")
    out.write(STAFF_TWO_FACTOR_HINT)


def _write_rounds(past_rounds, open_round, *, out) -> None:
    supported_total = 0
    for grant_round in past_rounds:
        figures = Application.objects.filter(round=grant_round).aggregate(
            applications=Count("pk"),
            supported=Count("pk", filter=Q(notified_decision=Application.Decision.SUPPORTED)),
            awarded=Sum("notified_amount"),
        )
        supported_total += figures["supported"]
        out.write(
            f"  {grant_round.title} ({grant_round.reference_code}): pieteikumi "
            f"{figures['applications']}, atbalstīti {figures['supported']}, piešķirti "
            f"{money(figures['awarded'] or Decimal(0))}; "
            f"rezultāti /konkursi/{grant_round.slug}/rezultati/"
        )
    if past_rounds:
        out.write(
            f"  Iepriekšējos {len(past_rounds)} konkursos atbalstītas kopā "
            f"{supported_total} kopienu idejas."
        )
    if open_round is not None:
        out.write(f"  Pieteikšanās atvērta: {open_round.title} /konkursi/{open_round.slug}/")


def _write_initiatives(under_way, *, out) -> None:
    published = Initiative.objects.filter(status=Initiative.Status.PUBLISHED)
    funded = published.filter(application__isnull=False).count()
    out.write(
        f"  Publicētas iniciatīvas ar pieņemtām atskaitēm: {published.count()} (no tām "
        f"{funded} konkursos atbalstītās idejas) /iniciativas/"
    )
    states = {
        Initiative.Status.IN_PROGRESS: "atskaites melnraksts",
        Initiative.Status.SUBMITTED: "atskaite iesniegta, gaida koordinatores pārbaudi",
        Initiative.Status.RETURNED: "atskaite atgriezta labošanai ar koordinatores komentāru",
    }
    for initiative in under_way:
        state = states.get(initiative.status, initiative.get_status_display().lower())
        out.write(
            f"  aktiviste@example.lv: „{initiative.title}” – {state} "
            f"{initiative.get_absolute_url()}atskaite/"
        )


class _Lines:
    """Writes each message as one line, to a command's stdout or to any text stream."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, message: str) -> None:
        self.stream.write(message if message.endswith("\n") else message + "\n")
