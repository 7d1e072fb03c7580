"""Publishing results in the admin: one mail per applicant, re-notification, who may publish."""

import pytest
from django.core import mail

from grants.models import Application, GrantRound
from initiatives.models import Initiative
from tests.factories import staff
from tests.grants.admin.applications.helpers import (
    decide,
    decision_url,
    messages_of,
    publish_url,
    ranking_url,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- Publishing ------------------------------------------------------------------------------


def test_publish_asks_for_confirmation_first(client, decided):
    response = client.get(publish_url(decided))

    page = parse(response.content)
    assert page.texts("#to-tell") == [
        "Publicējot rezultātus, 3 pieteicēji saņems e-pastu ar lēmumu un ziņu, un rezultātu "
        "lapā tiks parādītas atbalstītās idejas."
    ]
    assert page.select("#all-told") == []
    assert page.select_one("form[method=post] input[type=submit]").get("value") == (
        "Publicēt rezultātus"
    )
    assert [
        (div.select_one("dt").text, div.select_one("dd").text)
        for div in page.select("dl.ranking-summary div")
    ] == [
        ("Pieteikumi", "3"),
        ("Atbalstīts", "2"),
        ("Rezerves sarakstā", "0"),
        ("Nav atbalstīts", "1"),
    ]
    decided.refresh_from_db()
    assert decided.status == GrantRound.Status.DECISIONS
    assert mail.outbox == []


def test_publishing_twice_sends_one_mail_per_applicant(
    client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(publish_url(decided), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(publish_url(decided), follow=True)

    applicants = sorted(
        Application.objects.filter(round=decided).values_list("applicant__email", flat=True)
    )
    assert sorted(message.to[0] for message in mail.outbox) == applicants
    assert [len(message.to) for message in mail.outbox] == [1, 1, 1]
    assert messages_of(first) == ["Rezultāti publicēti; paziņojumi nosūtīti 3 pieteicējiem."]
    assert messages_of(second) == [
        "Rezultāti jau ir publicēti; visiem pieteicējiem jau ir paziņots, atkārtoti neviens "
        "netika informēts."
    ]
    decided.refresh_from_db()
    assert decided.status == GrantRound.Status.RESULTS
    assert Initiative.objects.filter(application__round=decided).count() == 2


def test_once_everyone_is_told_the_publish_page_says_so_without_a_button(
    client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(decided))

    page = parse(client.get(publish_url(decided)).content)

    [told] = page.texts("#all-told")
    assert told.startswith("Rezultāti jau publicēti ")
    assert told.endswith(". Visi pieteicēji jau ir informēti.")
    assert page.select("form[method=post] input[type=submit]") == []
    assert page.select("#to-tell") == []
    assert page.texts("form[method=post] a.closelink") == ["Atpakaļ uz reitingu"]


def test_publishing_with_an_undecided_application_is_refused(
    client, coordinator, grant_round, application, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    confirmation = client.get(publish_url(grant_round))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish_url(grant_round), follow=True)

    assert parse(confirmation.content).select_one("div.errornote p").text == (
        "1 pieteikumam vēl nav lēmuma:"
    )
    assert parse(confirmation.content).select("form[method=post] input[type=submit]") == []
    # Publishing is refused: nobody is promised an e-mail.
    assert parse(confirmation.content).select("#to-tell") == []
    assert messages_of(response) == ["1 pieteikumam vēl nav lēmuma: DK-2024-003."]
    assert mail.outbox == []
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DECISIONS


def test_a_changed_decision_waits_for_renotification(
    client, decided, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(decided))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, application, decision="reserve", message="Rezervē.")
        decision_page = client.get(decision_url(application))
        ranking = client.get(ranking_url(decided))

    assert mail.outbox == []
    assert (
        parse(decision_page.content)
        .select_one("p.decision-publicity")
        .text.startswith("Rezultāti ir publicēti, un pieteicējam par lēmumu paziņots")
    )
    section = parse(ranking.content).select_one("section.ranking-renotify")
    assert [[td.text for td in tr.select("td")] for tr in section.select("tbody tr")] == [
        ["DK-2024-003", "Ezera svētki", "Nav atbalstīts", "Rezerves sarakstā"]
    ]
    assert section.select_one("form").get("action") == (
        f"/admin/grants/grantround/{decided.pk}/pazinot/"
    )

    with django_capture_on_commit_callbacks(execute=True):
        renotified = client.post(f"/admin/grants/grantround/{decided.pk}/pazinot/", follow=True)

    assert [message.to for message in mail.outbox] == [["pieteiceja@example.lv"]]
    assert messages_of(renotified) == ["Paziņojums par mainīto lēmumu nosūtīts 1 pieteicējam."]
    assert parse(renotified.content).select("section.ranking-renotify") == []
    application.refresh_from_db()
    assert application.notified_decision == Application.Decision.RESERVE


def test_renotify_is_post_only(client, decided):
    response = client.get(f"/admin/grants/grantround/{decided.pk}/pazinot/")

    assert (response.status_code, response["Allow"]) == (405, "POST")


@pytest.mark.parametrize("role", ["Vērtētāji", "Centru vadītāji"])
def test_assessors_and_centre_managers_may_not_decide_or_publish(
    client, grant_round, application, assessor, role, django_capture_on_commit_callbacks
):
    # The assessor is assigned to this round; it changes nothing.
    client.force_login(assessor if role == "Vērtētāji" else staff(role))

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.get(decision_url(application)).status_code,
            decide(client, application, decision="not_supported").status_code,
            client.get(publish_url(grant_round)).status_code,
            client.post(publish_url(grant_round)).status_code,
            client.post(f"/admin/grants/grantround/{grant_round.pk}/pazinot/").status_code,
        ]

    assert answers == [403, 403, 403, 403, 403]
    application.refresh_from_db()
    assert application.decision == ""
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.DECISIONS
    assert mail.outbox == []
