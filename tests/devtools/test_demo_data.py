"""`manage.py demo_data` says nothing a visitor could take for a fact about a real centre.

The loader's idempotency and the accounts' groups are covered in
tests/communities/test_load_latgale.py; here: what the sample data shows and what it prints,
and the initiative's three past competitions it replays through the grants services.
"""

import io
from collections import Counter
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from communities.latgale import read_latgale_data
from communities.models import Community, Membership
from communities.services import load_latgale
from devtools.demo.common import DEMO_PASSWORD
from events.models import Event
from events.selectors import TRAINING_KINDS, held_events
from grants import selectors
from grants.models import (
    Application,
    ApplicationRevision,
    Assessment,
    BudgetLine,
    Criterion,
    GrantRound,
    HistoryEntry,
    Score,
)
from initiatives.models import (
    FinalReport,
    Initiative,
    InitiativeHistory,
    InitiativeReach,
    Institution,
    ReportPhoto,
    ReportReach,
    ReportSpending,
)
from initiatives.services.reports import submission_errors
from kopienas.figures.sources import TOTAL, breakdown
from resource_centres.booking_models import Booking
from resource_centres.models import ResourceCentre
from resource_centres.selectors import published_centres
from tests.html import parse

PAST = ["DK-2019", "DK-2020", "DK-2021"]
PAST_APPLICATIONS = 13 + 14 + 15

SAMPLE_NOTE = "Šeit centrs aprakstīs piekļūstamību: ieeju, tualeti, autostāvvietu. (parauga dati)"


@pytest.fixture
def demo(latgale, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_accessibility_answers_are_not_made_up(demo):
    assert list(
        ResourceCentre.objects.values_list(
            "step_free_entrance", "accessible_toilet", "parking", "accessibility_notes"
        )
        .order_by()
        .distinct()
    ) == [(None, None, None, SAMPLE_NOTE)]


def test_the_centre_page_shows_unknown_answers_and_a_marked_sample_note(client, demo):
    doc = parse(client.get("/centri/preili/").content)

    assert doc.texts("ul.access li") == [
        "Ieeja bez pakāpieniem: nav zināms",
        "Pielāgota tualete: nav zināms",
        "Autostāvvieta: nav zināms",
    ]
    assert SAMPLE_NOTE in doc.texts("aside.centre-facts p")


def test_what_a_coordinator_answered_is_kept(latgale, settings):
    settings.DEBUG = True
    ResourceCentre.objects.filter(slug="aglona").update(
        step_free_entrance=True, parking=False, accessibility_notes="Uzbrauktuve pie sānu ieejas."
    )

    call_command("demo_data", stdout=io.StringIO())

    assert ResourceCentre.objects.filter(slug="aglona").values_list(
        "step_free_entrance", "accessible_toilet", "parking", "accessibility_notes"
    ).get() == (True, None, False, "Uzbrauktuve pie sānu ieejas.")


def test_the_activist_account_is_offered_as_a_site_login(demo):
    # Not staff, so the admin refuses her; she signs in on the site.
    assert demo.splitlines()[-2] == (
        "  aktiviste@example.lv             Preiļu darbīgās kopienas līdere: pieslēdzas vietnē "
        "/konts/login/ (pārvaldībai piekļuves nav)"
    )


def test_every_demo_account_has_one_confirmed_primary_address(demo):
    call_command("demo_data", stdout=io.StringIO())  # a second run adds nothing

    activists = [
        f"aktivists.{slug}@example.lv"
        for slug in [
            "aglona", "dagda", "daugavpils", "ilukste", "kraslava", "nautreni", "preili",
            "priezmale", "sakstagals", "varkava", "zilupe",
        ]
    ]  # fmt: skip
    leaders = [
        f"lideris.{slug}@example.lv"
        for slug in [
            "aglona", "dagda", "daugavpils", "ilukste", "kraslava", "nautreni", "priezmale",
            "sakstagals", "varkava", "zilupe",
        ]
    ]  # fmt: skip
    # "vertetajs2@" sorts before "vertetajs@".
    staff = ["vaditajs", "vertetajs2", "vertetajs3", "vertetajs"]
    assert list(
        EmailAddress.objects.order_by("email").values_list(
            "user__username", "email", "verified", "primary"
        )
    ) == [
        (email, email, True, True)
        for email in [
            "aktiviste@example.lv",
            *activists,
            "koordinators@example.lv",
            *leaders,
            *(f"{name}@example.lv" for name in staff),
        ]
    ]
    assert {user.check_password(DEMO_PASSWORD) for user in get_user_model().objects.all()} == {True}


def test_the_demo_activist_logs_in_through_allauth(client, demo):
    response = client.post(
        "/konts/login/", {"login": "aktiviste@example.lv", "password": DEMO_PASSWORD}
    )

    assert (response.status_code, response["Location"]) == (302, "/mans/")
    doc = parse(client.get("/mans/").content)
    assert doc.texts("ul.my-memberships li") == [
        "Preiļu darbīgā kopiena: Līderis (Pamest kopienu Preiļu darbīgā kopiena)"
    ]


def test_demo_staff_are_asked_to_set_up_two_factor_on_their_first_admin_visit(client, demo):
    assert demo.splitlines()[-1] == (
        "Darbiniekiem (/admin/) pirmajā apmeklējumā būs jāieslēdz divpakāpju autentifikācija "
        "ar autentifikācijas lietotni (piemēram, Aegis, FreeOTP vai Google Authenticator)."
    )
    logged_in = client.post(
        "/konts/login/",
        {"login": "koordinators@example.lv", "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    admin = client.get(logged_in["Location"])

    assert (logged_in["Location"], admin["Location"]) == (
        "/admin/",
        "/konts/2fa/totp/activate/?next=%2Fadmin%2F",
    )


def test_an_open_round_invites_applications_and_the_activist_has_a_draft(client, demo):
    grant_round = GrantRound.objects.get(status=GrantRound.Status.OPEN)
    year = timezone.localdate().year + 1
    assert (grant_round.slug, grant_round.status, grant_round.reference_code) == (
        f"mazo-iniciativu-konkurss-{year}",
        GrantRound.Status.OPEN,
        f"DK-{year}",
    )
    assert grant_round.opens_at < timezone.now() < grant_round.closes_at
    assert list(grant_round.criteria.values_list("title", "max_points", "weight")) == [
        ("Kopienas vajadzību pamatojums", 10, Decimal("1.50")),
        ("Mazāk aktīvo iedzīvotāju iesaiste", 10, Decimal("2.00")),
        ("Sadarbība ar partneriem", 10, Decimal("1.00")),
        ("Ilgtspēja pēc projekta beigām", 10, Decimal("1.00")),
        ("Budžeta pamatotība", 10, Decimal("1.00")),
    ]
    assert list(grant_round.assessors.order_by("username").values_list("username", flat=True)) == [
        "vertetajs2@example.lv",
        "vertetajs3@example.lv",
        "vertetajs@example.lv",
    ]
    draft = Application.objects.get(status=Application.Status.DRAFT)
    assert (draft.applicant.email, draft.community.slug, draft.status, draft.title) == (
        "aktiviste@example.lv",
        "preili",
        Application.Status.DRAFT,
        "Kopienas dārzs pie bibliotēkas",
    )

    client.force_login(draft.applicant)
    doc = parse(client.get("/mans/").content)
    assert doc.texts(".application-title") == ["Kopienas dārzs pie bibliotēkas"]


def test_a_second_run_adds_no_second_round_or_draft(demo):
    call_command("demo_data", stdout=io.StringIO())

    assert (GrantRound.objects.count(), Application.objects.count()) == (
        4,
        1 + PAST_APPLICATIONS,
    )


def test_events_make_the_home_page_figures(client, demo):
    from events.models import Event
    from events.selectors import people_reached, trainings_held

    doc = parse(client.get("/").content)
    figures = dict(
        zip(doc.texts("li.figure .figure-label"), doc.texts("li.figure .figure-value"), strict=True)
    )

    upcoming = Event.objects.filter(starts_at__gt=timezone.now())
    # The people at events are only a part of the brochure's "about 6,000": the initiatives
    # reached the rest (test_the_brochure_figures_come_from_the_records).
    assert (trainings_held(), people_reached()) == (95, 2648)
    assert figures["dažādas mācību nodarbības kopienām un pedagogiem"] == "95"
    assert set(upcoming.values_list("centre__slug", flat=True)) == set(
        ResourceCentre.objects.values_list("slug", flat=True)
    )


def test_a_second_run_adds_no_events(latgale, settings):
    from events.models import Event

    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    count = Event.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    # Two upcoming at each centre, the held ones, and the engraver's instruction
    # (test_demo_bookings).
    assert Event.objects.count() == count == 10 * 2 + 95 + 50 + 1


# --- The three past competitions (issue 4, part 9) -------------------------------------------


def past_rounds():
    return GrantRound.objects.filter(reference_code__in=PAST).order_by("year")


def test_three_past_rounds_published_results_with_32_supported_ideas(client, demo):
    def figures(grant_round):
        told = Counter(grant_round.applications.values_list("notified_decision", flat=True))
        return (
            grant_round.slug,
            grant_round.title,
            grant_round.status,
            grant_round.last_number,
            told,
            selectors.awarded_total(grant_round=grant_round),
            grant_round.total_budget,
            grant_round.criteria.count(),
            grant_round.disagreement_threshold,
        )

    assert [figures(grant_round) for grant_round in past_rounds()] == [
        (
            "mazo-iniciativu-konkurss-2019",
            "Mazo iniciatīvu konkurss 2019",
            GrantRound.Status.RESULTS,
            13,
            {"supported": 10, "reserve": 2, "not_supported": 1},
            Decimal("6150.00"),
            Decimal("6500.00"),
            4,
            Decimal(25),
        ),
        (
            "mazo-iniciativu-konkurss-2020",
            "Mazo iniciatīvu konkurss 2020",
            GrantRound.Status.RESULTS,
            14,
            {"supported": 11, "reserve": 1, "not_supported": 2},
            Decimal("7060.00"),
            Decimal("7500.00"),
            5,
            Decimal(25),
        ),
        (
            "mazo-iniciativu-konkurss-2021",
            "Mazo iniciatīvu konkurss 2021",
            GrantRound.Status.RESULTS,
            15,
            {"supported": 11, "reserve": 2, "not_supported": 2},
            Decimal("8680.00"),
            Decimal("9000.00"),
            5,
            Decimal(25),
        ),
    ]
    past = Application.objects.filter(round__in=past_rounds())
    # The brochure's figure: 32 community ideas supported in 3 competitions.
    assert past.filter(notified_decision=Application.Decision.SUPPORTED).count() == 32
    assert Counter(past.values_list("status", "decision", "notified_decision")) == {
        ("decided", "supported", "supported"): 32,
        ("decided", "reserve", "reserve"): 5,
        ("decided", "not_supported", "not_supported"): 5,
    }
    assert all(r.results_published_at.year == r.year for r in past_rounds())
    assert not past.filter(notified_at__isnull=True).exists()
    # Every applicant is the demo activist of the applying community, one of the real eleven.
    assert {(a.applicant.username, a.community.slug) for a in past} == {
        (f"aktivists.{slug}@example.lv", slug)
        for slug in Community.objects.values_list("slug", flat=True)
    }
    assert (
        Membership.objects.filter(
            user__username__startswith="aktivists.", role=Membership.Role.ACTIVIST
        ).count()
        == 11
    )
    assert list(
        past.filter(round__year=2019).order_by("number").values_list("reference", flat=True)
    ) == [f"DK-2019-{n:03d}" for n in range(1, 14)]
    # Each was submitted before its round's deadline, with a revision like any submission.
    assert not past.filter(submitted_at__gt=F("round__closes_at")).exists()
    assert ApplicationRevision.objects.filter(application__in=past).count() == PAST_APPLICATIONS
    assert BudgetLine.objects.filter(application__in=past).values(
        "application"
    ).distinct().count() == (PAST_APPLICATIONS)

    doc = parse(client.get("/konkursi/mazo-iniciativu-konkurss-2019/rezultati/").content)
    assert len(doc.select("#results tbody tr")) == 10
    assert doc.texts("#results tbody tr")[0].startswith("DK-2019-001 Talka „Pī Boņa” laukuma")
    assert doc.texts("#results tfoot td") == ["6 150,00 €"]


def test_supported_ideas_start_completed_initiatives(demo):
    initiatives = Initiative.objects.filter(application__round__in=past_rounds())

    assert initiatives.count() == Initiative.objects.filter(application__isnull=False).count() == 32
    assert set(initiatives.values_list("status", flat=True)) == {Initiative.Status.PUBLISHED}
    assert Counter(initiatives.values_list("year", flat=True)) == {2019: 10, 2020: 11, 2021: 11}
    assert not initiatives.exclude(
        application__notified_decision=Application.Decision.SUPPORTED
    ).exists()
    assert not initiatives.exclude(community=F("application__community")).exists()


def test_every_past_application_has_at_least_two_submitted_assessments(demo):
    past = Application.objects.filter(round__in=past_rounds())
    submitted = Counter(
        Assessment.objects.filter(
            application__in=past, status=Assessment.Status.SUBMITTED
        ).values_list("application_id", flat=True)
    )

    assert set(past.values_list("pk", flat=True)) == set(submitted)
    assert Counter(submitted.values()) == {3: 36, 2: 6}
    # Two per round lack one: a declared conflict and the platform's own (the third assessor
    # belongs to the Ilūkste community).
    assert Counter(
        Assessment.objects.filter(application__in=past).values_list(
            "application__round__year", "assessor__username", "conflict", "auto_conflict"
        )
    ) == {
        (2019, "vertetajs@example.lv", "none", ""): 13,
        (2019, "vertetajs2@example.lv", "none", ""): 12,
        (2019, "vertetajs2@example.lv", "declared", ""): 1,
        (2019, "vertetajs3@example.lv", "none", ""): 12,
        (2019, "vertetajs3@example.lv", "", "member"): 1,
        (2020, "vertetajs@example.lv", "none", ""): 14,
        (2020, "vertetajs2@example.lv", "none", ""): 14,
        (2020, "vertetajs3@example.lv", "none", ""): 12,
        (2020, "vertetajs3@example.lv", "declared", ""): 1,
        (2020, "vertetajs3@example.lv", "", "member"): 1,
        (2021, "vertetajs@example.lv", "none", ""): 14,
        (2021, "vertetajs@example.lv", "declared", ""): 1,
        (2021, "vertetajs2@example.lv", "none", ""): 15,
        (2021, "vertetajs3@example.lv", "none", ""): 14,
        (2021, "vertetajs3@example.lv", "", "member"): 1,
    }
    assert set(
        Assessment.objects.filter(auto_conflict="member").values_list(
            "application__community__slug", flat=True
        )
    ) == {"ilukste"}
    # Every submitted assessment scores every criterion of its round, with a comment, and its
    # stored total is the one selector's.
    for assessment in Assessment.objects.filter(
        application__in=past, status=Assessment.Status.SUBMITTED
    ).select_related("application"):
        criteria = list(Criterion.objects.filter(round=assessment.application.round_id))
        points = dict(assessment.scores.values_list("criterion_id", "points"))
        assert set(points) == {c.pk for c in criteria}
        assert assessment.weighted_total == selectors.weighted_total(
            criteria=criteria, points=points
        )
        assert assessment.submitted_at.year == assessment.application.round.year
    assert not Score.objects.filter(assessment__application__in=past, comment="").exists()


def test_the_supported_ideas_are_the_top_of_each_ranking_above_the_funding_line(demo):
    for grant_round, supported in zip(past_rounds(), [10, 11, 11], strict=True):
        ranking = selectors.ranking(grant_round=grant_round)
        decisions = [row.application.decision for row in ranking.rows]

        assert decisions[:supported] == [Application.Decision.SUPPORTED] * supported
        assert Application.Decision.SUPPORTED not in decisions[supported:]
        # The budget runs out just below the supported ideas.
        assert [row.within_budget for row in ranking.rows][supported - 1 : supported + 1] == [
            True,
            False,
        ]
        assert ranking.awarded <= grant_round.total_budget
        assert not any(row.figures.missing for row in ranking.rows)
        # One idea per round shows the assessors' disagreement flag.
        assert sum(row.figures.disagreement for row in ranking.rows) == 1


def test_history_records_every_step_in_its_year(demo):
    entries = HistoryEntry.objects.filter(round__in=past_rounds())

    assert Counter(entries.values_list("action", flat=True)) == {
        # 123 declarations, and the 3 conflicts the platform found itself (recorded too)
        HistoryEntry.Action.CONFLICT: 126,
        HistoryEntry.Action.SCORES: 120,
        HistoryEntry.Action.SUBMITTED: 120,
        HistoryEntry.Action.DECISION: 42,
        HistoryEntry.Action.PUBLISHED: 3,
        HistoryEntry.Action.NOTIFIED: 42,
    }
    assert not entries.exclude(at__year=F("round__year")).exists()
    assert set(
        entries.filter(action=HistoryEntry.Action.DECISION).values_list(
            "actor__username", flat=True
        )
    ) == {"koordinators@example.lv"}


def test_the_activist_sees_her_decisions_on_her_page(client, demo):
    client.force_login(get_user_model().objects.get(username="aktivists.preili@example.lv"))

    doc = parse(client.get("/mans/").content)

    # Newest round first: 2021, 2020 (two ideas), 2019, each with the decision she was told.
    assert doc.texts(".application-title") == [
        "Sarunu vakari „Kā mēs te dzīvojām”",
        "Ielu basketbola turnīrs",
        "Maizes cepšanas dienas ceplī",
        "Māla darbnīcas ceplī ģimenēm ar bērniem",
    ]
    told = {"Atbalstīts", "Nav atbalstīts", "Rezerves sarakstā"}
    assert [text for text in doc.texts(".application-card dd") if text in told] == [
        "Atbalstīts",
        "Nav atbalstīts",
        "Atbalstīts",
        "Atbalstīts",
    ]


def _mail_kind(subject: str) -> str:
    if subject.startswith("Rezervācija"):
        return "booking"
    if "lēmums par pieteikumu" in subject:
        return "decision"
    return "accepted" if subject.endswith("pieņemta") else "returned"


def snapshot_counts() -> dict[str, int]:
    models = [
        get_user_model(),
        EmailAddress,
        Membership,
        GrantRound,
        Criterion,
        Application,
        BudgetLine,
        ApplicationRevision,
        Assessment,
        Score,
        HistoryEntry,
        Initiative,
        InitiativeHistory,
        InitiativeReach,
        Institution,
        FinalReport,
        ReportSpending,
        ReportReach,
        ReportPhoto,
        Event,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_run_changes_nothing(
    latgale, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", stdout=io.StringIO())
    counts = snapshot_counts()
    history = list(HistoryEntry.objects.values_list("pk", "at"))
    initiative_history = list(InitiativeHistory.objects.values_list("pk", "at"))
    # Publishing told each past applicant once, one mail per application; accepting a report
    # told its team (a funded idea's applicant and the community's leader, an own initiative's
    # leader); the returned report told the Preiļi leader; each coming booking, requested
    # through the booking services, told the person who booked (the past ones are records).
    assert Counter(_mail_kind(m.subject) for m in mailoutbox) == {
        "decision": PAST_APPLICATIONS,
        "accepted": 32 * 2 + 125,
        "returned": 1,
        "booking": Booking.objects.filter(starts_at__gt=timezone.now()).count(),
    }
    assert (
        Counter(m.to[0] for m in mailoutbox if _mail_kind(m.subject) != "booking")[
            "aktivists.preili@example.lv"
        ]
        == 4 + 3
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("demo_data", stdout=io.StringIO())

    assert snapshot_counts() == counts
    assert list(HistoryEntry.objects.values_list("pk", "at")) == history
    assert list(InitiativeHistory.objects.values_list("pk", "at")) == initiative_history
    assert (len(callbacks), mailoutbox) == (0, [])


@pytest.mark.django_db(transaction=True)
def test_no_decision_mail_reaches_the_development_console(roles, settings, capsys):
    """Committed for real (no test transaction around it), with the console mailer of
    development: the decision mails of the past rounds go to memory, not to the terminal."""
    load_latgale(data=read_latgale_data())
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    mail.outbox = []
    out = io.StringIO()

    call_command("demo_data", stdout=out)

    assert capsys.readouterr().out == ""
    # The decisions, the accepted reports, the returned one and the coming bookings
    # (test_a_second_run_...).
    coming = Booking.objects.filter(starts_at__gt=timezone.now()).count()
    assert len(mail.outbox) == PAST_APPLICATIONS + 32 * 2 + 125 + 1 + coming
    assert "Iepriekšējos 3 konkursos atbalstītas kopā 32 kopienu idejas." in out.getvalue()
    assert Initiative.objects.count() == 32 + 125 + 3


# --- The initiatives after the grants (issue 12) ---------------------------------------------

PUBLISHED = Initiative.Status.PUBLISHED
FUNDED_STEPS = ["supported", "in_progress", "submitted", "accepted", "published"]
OWN_STEPS = ["in_progress", "submitted", "accepted", "published"]


def test_the_brochure_figures_come_from_the_records(demo):
    """Each figure as the figures registry defines it, counted here with its own query: the
    brochure's "ap 6 000" people, 300+ institutions, 150+ initiatives, 95 trainings, 3
    competitions, 32 supported ideas, 10 centres."""
    published = Initiative.objects.filter(status=PUBLISHED)
    at_events = held_events().aggregate(n=Sum("attendees_count"))["n"]
    in_initiatives = published.aggregate(n=Sum("participants"))["n"]
    figures = {
        "participants": at_events + in_initiatives,
        "institutions": Institution.objects.filter(initiatives__status=PUBLISHED)
        .distinct()
        .count(),
        "initiatives": published.count(),
        "trainings": held_events().filter(kind__in=TRAINING_KINDS).count(),
        "rounds": GrantRound.objects.filter(
            status=GrantRound.Status.RESULTS, results_published_at__isnull=False
        ).count(),
        "supported_ideas": Application.objects.filter(
            round__results_published_at__isnull=False,
            notified_decision=Application.Decision.SUPPORTED,
        ).count(),
        "centres": published_centres().count(),
    }

    assert (at_events, in_initiatives) == (2648, 3359)
    assert figures == {
        "participants": 6007,
        "institutions": 310,
        "initiatives": 157,
        "trainings": 95,
        "rounds": 3,
        "supported_ideas": 32,
        "centres": 10,
    }
    # The registry the pages read (kopienas.figures) counts the same.
    registry = breakdown(TOTAL)
    assert {key: registry[key] for key in figures} == figures
    # The 32 supported ideas and the communities' own initiatives, 2019–2026.
    assert (
        published.filter(application__isnull=False).count(),
        published.filter(application__isnull=True).count(),
    ) == (32, 125)
    assert sorted(set(published.values_list("year", flat=True))) == list(range(2019, 2027))


def test_every_published_initiative_has_an_accepted_report_made_by_the_services(demo):
    coordinator = get_user_model().objects.get(username="koordinators@example.lv")
    published = Initiative.objects.filter(status=PUBLISHED).select_related("report", "application")

    for initiative in published:
        report = initiative.report
        assert submission_errors(report) == {}
        assert report.review_comment == ""
        # Reported, accepted and published in its year or early the next, never in the future.
        assert report.submitted_at < report.accepted_at < initiative.published_at < timezone.now()
        assert initiative.published_at.year in (initiative.year, initiative.year + 1)
        # What was published is the accepted report's, copied on publication.
        assert (
            initiative.story,
            initiative.results,
            initiative.participants,
            initiative.volunteers,
            initiative.organisations,
        ) == (
            report.story,
            report.results,
            report.participants,
            report.volunteers,
            report.institutions.count(),
        )
        assert set(initiative.institutions.all()) == set(report.institutions.all())
        assert set(initiative.model_elements.all()) == set(report.model_elements.all())
        reach = dict(report.reach.values_list("target_group__slug", "count"))
        assert dict(initiative.reach.values_list("target_group__slug", "count")) == reach
        assert reach and max(reach.values()) <= report.participants
        assert report.volunteers <= report.participants
        assert initiative.organisations >= 2
        assert initiative.story.endswith("(parauga dati)")
        steps = list(initiative.history.order_by("at", "pk").values_list("after", "actor"))
        team = (
            initiative.application.applicant_id
            if initiative.application_id
            else initiative.recorded_by_id
        )
        if initiative.application_id:
            # Within the award, every budget line accounted for.
            spent = [row.spent for row in report.spending.all()]
            assert None not in spent and min(spent) >= 0
            assert sum(spent) <= initiative.application.awarded_amount
            assert report.own_contribution >= 0
            assert [after["status"] for after, _actor in steps] == FUNDED_STEPS
            assert [actor for _after, actor in steps] == [
                None,
                team,
                team,
                coordinator.pk,
                coordinator.pk,
            ]
        else:
            assert not report.spending.exists()
            assert [after["status"] for after, _actor in steps] == OWN_STEPS
            assert [actor for _after, actor in steps] == [
                team,
                team,
                coordinator.pk,
                coordinator.pk,
            ]


def test_communities_record_their_own_initiatives_through_their_leaders(demo):
    own = Initiative.objects.filter(application__isnull=True, status=PUBLISHED)

    assert Counter(own.values_list("community__slug", flat=True)) == {
        "aglona": 12,
        "dagda": 12,
        "daugavpils": 12,
        "ilukste": 12,
        "kraslava": 11,
        "nautreni": 11,
        "preili": 11,
        "priezmale": 11,
        "sakstagals": 11,
        "varkava": 11,
        "zilupe": 11,
    }
    # Each by an active leader of its own community, each title once.
    assert not own.exclude(
        recorded_by__memberships__community=F("community"),
        recorded_by__memberships__role=Membership.Role.LEADER,
        recorded_by__memberships__status=Membership.Status.ACTIVE,
    ).exists()
    assert len(set(own.values_list("title", flat=True))) == 125
    assert set(
        own.filter(community__slug="preili").values_list("recorded_by__username", flat=True)
    ) == {"aktiviste@example.lv"}
    example = own.get(slug="jauniesu-velobrauciens-ilukste")
    assert (example.title, example.community.slug, example.recorded_by.username) == (
        "Jauniešu velobrauciens Ilūkstē",
        "ilukste",
        "lideris.ilukste@example.lv",
    )


def test_institutions_are_latgale_names_several_named_more_than_once(demo):
    named = Institution.objects.filter(initiatives__status=PUBLISHED).annotate(
        times=Count("initiatives", distinct=True)
    )

    assert Institution.objects.count() == 310
    assert Counter(min(row.times, 3) for row in named) == {1: 195, 2: 90, 3: 25}
    assert {
        "Sakstagala pagasta pārvalde",
        "Preiļu bibliotēka",
        "Krāslavas novada pašvaldība",
        "Biedrība „Sakstagala kopiena”",
        "Aglonas Maizes muzejs",
        "Dagdas tautas nams",
    } <= set(Institution.objects.values_list("name", flat=True))


def test_the_preili_leader_has_three_reports_under_way(demo):
    from initiatives.permissions import can_edit_report

    activist = get_user_model().objects.get(username="aktiviste@example.lv")
    under_way = Initiative.objects.exclude(status=PUBLISHED).order_by("pk")

    assert [
        (i.title, i.status, i.recorded_by, can_edit_report(activist, i)) for i in under_way
    ] == [
        ("Senioru un skolēnu datorklubs Preiļos", "in_progress", activist, True),
        ("Preiļu parka soliņu talka", "submitted", activist, False),
        ("Ģimeņu orientēšanās spēle Preiļu parkā", "returned", activist, True),
    ]
    draft, submitted, returned = (i.report for i in under_way)
    assert (draft.participants, draft.submitted_at, submission_errors(draft).keys()) == (
        14,
        None,
        {"results", "story", "model_elements"},
    )
    assert submitted.submitted_at is not None and submission_errors(submitted) == {}
    assert returned.review_comment.startswith("Paldies par atskaiti! Lūdzu, papildiniet stāstu")
    assert returned.initiative.history.filter(
        after__status="returned", comment=returned.review_comment
    ).exists()


def test_a_few_published_reports_have_photos_with_alt_text_and_consent(demo):
    photos = ReportPhoto.objects.select_related("report__initiative").order_by("pk")

    assert [photo.report.initiative.status for photo in photos] == [PUBLISHED] * 4
    for photo in photos:
        assert photo.consent is True
        assert photo.alt_text == (
            f"Parauga attēls iniciatīvai „{photo.report.initiative.title}”: krāsaini apļi"
        )
        assert photo.image.storage.exists(photo.image.name)
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
