"""The review page's decisions as a coordinator: return with a comment, accept, publish, extend
the due date, cancel. Each a POST with its CSRF token through one service; bad input at its
field in Latvian with everything typed kept; a double submit changes nothing and says so."""

import datetime

import pytest
from django.test import Client

from initiatives.models import Initiative
from initiatives.services import lifecycle, reports
from tests.factories import own_initiative
from tests.html import parse
from tests.initiatives.admin_support import (
    decision_url,
    funded,
    groups_and_elements,
    review_url,
    submitted,
)

pytestmark = pytest.mark.django_db

Status = Initiative.Status
DUE = datetime.date(2027, 7, 30)


def messages_of(response) -> list[str]:
    return parse(response.content).texts("ul.messagelist li")


def summary_of(response) -> list[str]:
    return parse(response.content).texts("#kludas li")


@pytest.fixture
def reported(client, coordinator):
    coordinator.first_name, coordinator.last_name = "Inese", "Koordinatore"
    coordinator.save()
    client.force_login(coordinator)
    things = groups_and_elements()
    initiative = submitted(funded(things=things), things=things)
    Initiative.objects.filter(pk=initiative.pk).update(report_due_on=DUE)
    initiative.refresh_from_db()
    return initiative


def _status_entries(initiative) -> list:
    return list(
        initiative.history.filter(action="status")
        .order_by("pk")
        .values_list("actor__last_name", "after__status", "comment")
    )


def test_accepting_twice_accepts_and_mails_once(
    client, reported, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(decision_url(reported, "pienemt"), follow=True)
        second = client.post(decision_url(reported, "pienemt"), follow=True)

    reported.refresh_from_db()
    assert (first.redirect_chain, messages_of(first), messages_of(second)) == (
        [(review_url(reported), 302)],
        ["Atskaite pieņemta; komandai nosūtīts e-pasts."],
        ["Atskaite jau ir pieņemta."],
    )
    assert (reported.status, [m.subject for m in mailoutbox], _status_entries(reported)[-1]) == (
        Status.ACCEPTED,
        ["Atskaite par „Ezera krasta sakopšana” pieņemta"],
        ("Koordinatore", "accepted", ""),
    )
    assert parse(second.content).select_one("#statuss").text == "Atskaite pieņemta"


def test_returning_needs_a_comment_and_keeps_what_was_typed(client, reported, mailoutbox):
    empty = client.post(decision_url(reported, "atgriezt"), {"atgriezt-comment": "   "})
    long = client.post(decision_url(reported, "atgriezt"), {"atgriezt-comment": "ā" * 4001})

    reported.refresh_from_db()
    assert (empty.status_code, summary_of(empty)) == (
        200,
        ["Kas komandai jālabo: Uzrakstiet komandai, kas atskaitē jālabo."],
    )
    assert summary_of(long) == [
        "Kas komandai jālabo: Pārliecinieties, ka vērtībā ir ne vairāk kā 4000 rakstzīmes "
        "(tajā ir 4001)."
    ]
    assert parse(long.content).select_one("textarea[name=atgriezt-comment]").text == "ā" * 4001
    assert (reported.status, mailoutbox) == (Status.SUBMITTED, [])


def test_returning_sends_the_comment_to_the_team_escaped_on_the_page(
    client, reported, mailoutbox, django_capture_on_commit_callbacks
):
    comment = "Pievienojiet čekus <script>alert(1)</script>"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decision_url(reported, "atgriezt"), {"atgriezt-comment": comment}, follow=True
        )
        again = client.post(
            decision_url(reported, "atgriezt"), {"atgriezt-comment": "Otrreiz"}, follow=True
        )

    reported.refresh_from_db()
    page = parse(response.content)
    assert messages_of(response) == ["Atskaite atgriezta labošanai; komandai nosūtīts e-pasts."]
    assert messages_of(again) == ["Atskaite jau ir atgriezta labošanai."]
    assert page.select_one(".review-comment").text == (
        "Koordinatora komentārs komandai: " + comment
    )
    assert b"<script>alert(1)</script>" not in response.content
    assert (
        reported.status,
        reported.report.review_comment,
        len(mailoutbox),
        comment in mailoutbox[0].body,
        _status_entries(reported)[-1],
    ) == (Status.RETURNED, comment, 1, True, ("Koordinatore", "returned", comment))
    # A returned report is the team's again: the coordinator may only extend its due date.
    assert [form.get("action") for form in page.select("form.review-decision")] == [
        decision_url(reported, "termins")
    ]


def test_a_refused_return_says_why_and_keeps_the_comment(client, coordinator):
    own = own_initiative(title="Pašu talka")
    client.force_login(coordinator)

    response = client.post(decision_url(own, "atgriezt"), {"atgriezt-comment": "Labot skaitļus"})

    own.refresh_from_db()
    assert (response.status_code, summary_of(response), own.status) == (
        200,
        ["Iniciatīvu nevar pārvietot no stāvokļa „Notiek” uz „Atskaite atgriezta labošanai”."],
        Status.IN_PROGRESS,
    )
    assert parse(response.content).select_one("textarea[name=atgriezt-comment]").text == (
        "Labot skaitļus"
    )


def test_publishing_only_an_accepted_report_once(client, reported):
    early = client.post(decision_url(reported, "publicet"), follow=True)
    reports.accept_report(initiative=reported, actor=None)
    published = client.post(decision_url(reported, "publicet"), follow=True)
    again = client.post(decision_url(reported, "publicet"), follow=True)

    reported.refresh_from_db()
    assert [messages_of(early), messages_of(published), messages_of(again)] == [
        ["Iniciatīvu nevar pārvietot no stāvokļa „Atskaite iesniegta” uz „Publicēta”."],
        ["Iniciatīva publicēta."],
        ["Iniciatīva jau ir publicēta."],
    ]
    assert (reported.status, reported.participants, reported.organisations) == (
        Status.PUBLISHED,
        45,
        2,
    )
    assert parse(again.content).select_one("#no-decisions").text == (
        "Šajā stāvoklī lēmumi nav pieejami."
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            {"termins-due_on": "31.02.2027", "termins-reason": "Slimība"},
            ["Jaunais atskaites termiņš: Ierakstiet datumu, piemēram, 2026-12-31."],
        ),
        (
            {"termins-due_on": "rīt", "termins-reason": "Slimība"},
            ["Jaunais atskaites termiņš: Ierakstiet datumu, piemēram, 2026-12-31."],
        ),
        (
            {"termins-due_on": "2027-07-01", "termins-reason": "Slimība"},
            ["Jaunais atskaites termiņš: Jaunajam termiņam jābūt vēlākam par līdzšinējo."],
        ),
        (
            {"termins-due_on": "2027-09-01", "termins-reason": ""},
            ["Pamatojums: Norādiet, kāpēc termiņš tiek mainīts."],
        ),
        (
            {"termins-due_on": "", "termins-reason": "<script>x</script>"},
            ["Jaunais atskaites termiņš: Norādiet jauno termiņu."],
        ),
    ],
)
def test_a_bad_extension_is_refused_at_its_field(client, coordinator, typed, expected):
    own = own_initiative(title="Pašu talka")
    Initiative.objects.filter(pk=own.pk).update(report_due_on=DUE)
    client.force_login(coordinator)

    response = client.post(decision_url(own, "termins"), typed)

    own.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, summary_of(response), own.report_due_on) == (200, expected, DUE)
    assert (page.select_one("input[name=termins-due_on]").get("value") or "") == typed[
        "termins-due_on"
    ]
    assert page.select_one("textarea[name=termins-reason]").text == typed["termins-reason"]
    assert b"<script>x</script>" not in response.content


def test_extending_the_due_date(client, coordinator):
    own = own_initiative(title="Pašu talka")
    Initiative.objects.filter(pk=own.pk).update(report_due_on=DUE)
    client.force_login(coordinator)
    typed = {"termins-due_on": "2027-09-15", "termins-reason": "Plūdi ciemā"}

    response = client.post(decision_url(own, "termins"), typed, follow=True)
    again = client.post(decision_url(own, "termins"), typed, follow=True)

    own.refresh_from_db()
    entry = own.history.filter(action="due_date").get()
    assert (messages_of(response), messages_of(again)) == (
        ["Atskaites termiņš pagarināts."],
        ["Atskaites termiņš jau ir šis datums."],
    )
    assert (own.report_due_on, entry.actor, entry.before, entry.after, entry.comment) == (
        datetime.date(2027, 9, 15),
        coordinator,
        {"report_due_on": "2027-07-30"},
        {"report_due_on": "2027-09-15"},
        "Plūdi ciemā",
    )
    assert parse(again.content).select_one("#termins").text == "2027. gada 15. septembris"


def test_a_submitted_report_has_no_due_date_to_extend(client, reported):
    response = client.post(
        decision_url(reported, "termins"),
        {"termins-due_on": "2027-09-15", "termins-reason": "Slimība"},
    )

    reported.refresh_from_db()
    assert (summary_of(response), reported.report_due_on) == (
        ["Termiņu var mainīt tikai, kamēr atskaite vēl nav iesniegta."],
        DUE,
    )


def test_cancelling_needs_a_reason_and_is_refused_once_reported(client, coordinator, reported):
    own = own_initiative(title="Pašu talka")

    empty = client.post(decision_url(own, "atcelt"), {"atcelt-comment": ""})
    refused = client.post(decision_url(reported, "atcelt"), {"atcelt-comment": "Nenotiks"})
    cancelled = client.post(
        decision_url(own, "atcelt"), {"atcelt-comment": "Kopiena atteicās"}, follow=True
    )
    again = client.post(decision_url(own, "atcelt"), {"atcelt-comment": "Vēlreiz"}, follow=True)

    own.refresh_from_db()
    reported.refresh_from_db()
    assert [summary_of(empty), summary_of(refused)] == [
        ["Atcelšanas iemesls: Norādiet, kāpēc iniciatīva tiek atcelta."],
        ["Iniciatīvu nevar pārvietot no stāvokļa „Atskaite iesniegta” uz „Atcelta”."],
    ]
    assert [messages_of(cancelled), messages_of(again)] == [
        ["Iniciatīva atcelta."],
        ["Iniciatīva jau ir atcelta."],
    ]
    assert (own.status, reported.status, _status_entries(own)[-1]) == (
        Status.CANCELLED,
        Status.SUBMITTED,
        ("Koordinatore", "cancelled", "Kopiena atteicās"),
    )


@pytest.mark.parametrize("part", ["atgriezt", "pienemt", "publicet", "termins", "atcelt", "posms"])
def test_decisions_are_posts_only(client, reported, part):
    response = client.get(decision_url(reported, part))

    reported.refresh_from_db()
    assert (response.status_code, response["Allow"], reported.status) == (
        405,
        "POST",
        Status.SUBMITTED,
    )


def test_a_decision_without_the_csrf_token_is_refused(coordinator, reported):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(decision_url(reported, "pienemt"))

    reported.refresh_from_db()
    assert (response.status_code, reported.status) == (403, Status.SUBMITTED)


def test_the_decision_forms_carry_their_csrf_token(client, reported):
    page = parse(client.get(review_url(reported)).content)

    assert [
        len(form.select("input[name=csrfmiddlewaretoken]"))
        for form in page.select("form.review-decision")
    ] == [1, 1]


def test_an_unknown_initiative_is_not_found(client, reported):
    assert [
        client.get("/admin/initiatives/initiative/999999/atskaite/").status_code,
        client.post("/admin/initiatives/initiative/999999/pienemt/").status_code,
        client.get("/admin/initiatives/initiative/eksports/999999/atskaites.xlsx").status_code,
        client.get(f"/admin/initiatives/initiative/{'9' * 30}/atskaite/").status_code,
        client.post(f"/admin/initiatives/initiative/{'9' * 30}/termins/").status_code,
        client.get(f"/admin/initiatives/initiative/eksports/{'9' * 30}/atskaites.xlsx").status_code,
    ] == [404] * 6


def test_the_export_is_served_as_a_file(client, reported):
    round_ = reported.application.round

    response = client.get(f"/admin/initiatives/initiative/eksports/{round_.pk}/atskaites.xlsx")

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f'attachment; filename="{round_.reference_code}-atskaites.xlsx"',
    )
    assert response.getvalue()[:2] == b"PK"


def test_milestone_history_is_kept(client, reported, coordinator):
    lifecycle.save_milestone(
        initiative=reported, actor=coordinator, title="Talka", due_on=datetime.date(2027, 3, 1)
    )
    assert reported.history.filter(action="milestone").count() == 1


def test_adding_a_milestone_through_the_service(client, reported, coordinator):
    typed = {"posms-title": "Pirmā talka", "posms-due_on": "2027-03-01", "posms-done_on": ""}

    added = client.post(decision_url(reported, "posms"), typed, follow=True)
    again = client.post(decision_url(reported, "posms"), typed, follow=True)

    entry = reported.history.filter(action="milestone").get()
    assert (messages_of(added), messages_of(again)) == (
        ["Posms pievienots."],
        ["Šāds posms jau ir pievienots."],
    )
    assert (entry.actor, entry.before, entry.after) == (
        coordinator,
        {},
        {"title": "Pirmā talka", "due_on": "2027-03-01", "done_on": None},
    )
    rows = [
        [cell.text for cell in row.children if not isinstance(cell, str)]
        for row in parse(again.content).select("#milestones-table tbody tr")
    ]
    assert rows == [["Pirmā talka", "2027. gada 1. marts", "—"]]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            {"posms-title": "", "posms-due_on": "2027-03-01", "posms-done_on": ""},
            ["Posms: Nosauciet posmu."],
        ),
        (
            {"posms-title": "<b>Talka</b>", "posms-due_on": "1.3.27", "posms-done_on": "vakar"},
            [
                "Plānotais datums: Ierakstiet datumu, piemēram, 2026-12-31.",
                "Paveikts: Ierakstiet datumu, piemēram, 2026-12-31.",
            ],
        ),
        (
            {"posms-title": "T" * 201, "posms-due_on": "", "posms-done_on": ""},
            [
                "Posms: Pārliecinieties, ka vērtībā ir ne vairāk kā 200 rakstzīmes (tajā ir 201).",
                "Plānotais datums: Norādiet plānoto datumu.",
            ],
        ),
    ],
)
def test_a_bad_milestone_is_refused_and_kept_as_typed(client, reported, typed, expected):
    response = client.post(decision_url(reported, "posms"), typed)

    page = parse(response.content)
    assert (response.status_code, summary_of(response), reported.milestones.count()) == (
        200,
        expected,
        0,
    )
    assert [page.select_one(f"input[name={name}]").get("value") or "" for name in typed] == list(
        typed.values()
    )
    assert b"<b>Talka</b>" not in response.content
