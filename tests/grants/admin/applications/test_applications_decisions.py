"""Deciding in the admin: bad input at its field, the typing kept, one history entry a change."""

from decimal import Decimal

import pytest
from django.core import mail

from grants.models import Application, GrantRound, HistoryEntry
from tests.grants.admin.applications.helpers import (
    decide,
    decision_url,
    field_errors,
    messages_of,
    ranking_url,
    typed,
)
from tests.html import parse

pytestmark = pytest.mark.django_db


def test_decision_page_shows_figures_budget_and_that_results_are_internal(
    client, coordinator, application
):
    client.force_login(coordinator)

    response = client.get(decision_url(application))

    page = parse(response.content)
    assert [
        [(div.select_one("dt").text, div.select_one("dd").text) for div in dl.select("div")]
        for dl in page.select("dl.ranking-summary")
    ] == [
        [
            ("Kopiena", application.community.name),
            ("Prasīts", "2 500,00 €"),
            ("Lielākais atbalsts", "2 000,00 €"),
            ("Budžets", "5 000,00 €"),
            ("Piešķirts konkursā", "3 000,00 €"),
            ("Atlikums", "2 000,00 €"),
            ("Šim pieteikumam var piešķirt līdz", "2 000,00 €"),
        ],
        [
            ("Vērtējumi", "1"),
            ("Trūkst", "0"),
            ("Izslēgti (konflikts)", "0"),
            ("Vidējais", "80,00"),
            ("Mediāna", "80,00"),
            ("Izkliede", "0,00"),
        ],
    ]
    assert page.select_one("p.decision-publicity").text == (
        "Rezultāti vēl nav publicēti: lēmums paliek iekšējs, līdz koordinators publicē rezultātus."
    )
    assert typed(response) == {"decision": [""], "awarded_amount": None, "decision_message": ""}


def test_supported_decision_with_a_latvian_decimal_comma(client, coordinator, application):
    client.force_login(coordinator)

    response = decide(client, application, amount="1 250,50", message="Apsveicam!", follow=False)

    assert (response.status_code, response["Location"]) == (
        302,
        f"{ranking_url(application.round)}#pieteikums-{application.pk}",
    )
    application.refresh_from_db()
    assert (application.decision, application.awarded_amount, application.decision_message) == (
        Application.Decision.SUPPORTED,
        Decimal("1250.50"),
        "Apsveicam!",
    )
    followed = client.get(response["Location"])
    assert messages_of(followed) == ["Lēmums par pieteikumu DK-2024-003 saglabāts."]
    # Internal until published: nobody is written to.
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("2600", "Piešķirtā summa nedrīkst pārsniegt prasīto (2 500,00 €)."),
        ("2100,00", "Piešķirtā summa nedrīkst pārsniegt lielāko atbalstu (2 000,00 €)."),
        ("0", "Piešķirtajai summai jābūt lielākai par 0 €."),
        ("-5", "Piešķirtajai summai jābūt lielākai par 0 €."),
        ("abc", "Ierakstiet summu eiro, piemēram, 1250,50."),
        ("", "Norādiet piešķirto summu."),
    ],
)
def test_bad_award_is_refused_at_its_field_keeping_what_was_typed(
    client, coordinator, application, amount, error
):
    client.force_login(coordinator)

    response = decide(client, application, amount=amount, message="Ļoti laba ideja")

    assert response.status_code == 200
    assert field_errors(response) == {"awarded_amount": [error]}
    assert typed(response) == {
        "decision": ["supported"],
        "awarded_amount": amount or None,
        "decision_message": "Ļoti laba ideja",
    }
    application.refresh_from_db()
    assert (application.decision, application.awarded_amount) == ("", None)
    assert HistoryEntry.objects.filter(application=application).count() == 0


def test_award_above_the_remaining_budget_is_refused(client, coordinator, application):
    other = Application.objects.get(reference="DK-2024-001")
    other.awarded_amount = Decimal("2000.00")
    other.save()
    client.force_login(coordinator)

    response = decide(client, application, amount="1600")

    # 5 000 € − 2 000 € − 1 500 € leaves 1 500 €.
    assert field_errors(response) == {
        "awarded_amount": ["Konkursa budžetā atlikuši 1 500,00 €: tik lielu summu piešķirt nevar."]
    }
    assert typed(response)["awarded_amount"] == "1600"


def test_decision_outside_the_decisions_stage_is_a_form_error(client, coordinator, application):
    GrantRound.objects.filter(pk=application.round_id).update(status=GrantRound.Status.ASSESSMENT)
    client.force_login(coordinator)

    response = decide(client, application, decision="reserve", message="Rezervē")

    assert field_errors(response) == {
        "__all__": ["Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā."]
    }
    assert typed(response) == {
        "decision": ["reserve"],
        "awarded_amount": None,
        "decision_message": "Rezervē",
    }


def test_during_assessment_the_decision_page_says_so_instead_of_a_form(
    client, coordinator, application
):
    GrantRound.objects.filter(pk=application.round_id).update(status=GrantRound.Status.ASSESSMENT)
    client.force_login(coordinator)

    response = client.get(decision_url(application))

    page = parse(response.content)
    assert page.texts("#not-deciding") == [
        "Lēmumus var pieņemt, kad konkurss ir lēmumu pieņemšanas posmā."
    ]
    assert page.select("#content-main form") == []
    # "Lēmums" once as a visible heading; the reference in the h1 kept on one line.
    assert page.texts("h2") == [application.title, "Vērtējumi", "Lēmums"]
    assert page.select_one("h1 .decision-reference").text == "DK-2024-003"
    assert page.select_one("h1").text == "Lēmums par pieteikumu DK-2024-003"


def test_during_assessment_the_ranking_has_no_decision_links(client, coordinator, application):
    application.decision = Application.Decision.RESERVE
    application.save()
    GrantRound.objects.filter(pk=application.round_id).update(status=GrantRound.Status.ASSESSMENT)
    client.force_login(coordinator)

    page = parse(client.get(ranking_url(application.round)).content)

    assert page.select("table#ranking td.decision a") == []
    assert sorted(page.texts("table#ranking td.decision")) == [
        "Atbalstīts",
        "Atbalstīts",
        "Rezerves sarakstā",
    ]


def test_in_the_decision_stage_the_ranking_links_to_the_decision(client, coordinator, application):
    client.force_login(coordinator)

    page = parse(client.get(ranking_url(application.round)).content)

    assert sorted(a.get("href") for a in page.select("table#ranking td.decision a")) == sorted(
        decision_url(a) for a in Application.objects.filter(round=application.round)
    )


def test_script_in_the_message_is_shown_as_text(client, coordinator, application):
    client.force_login(coordinator)
    script = '<script>alert("x")</script>'

    refused = decide(client, application, amount="abc", message=script)
    decide(client, application, decision="not_supported", message=script)
    saved = client.get(decision_url(application))
    change_page = client.get(f"/admin/grants/application/{application.pk}/change/")

    for response in (refused, saved, change_page):
        assert script.encode() not in response.content
        assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.content
    assert typed(saved)["decision_message"] == script


def test_double_submit_leaves_one_history_entry(client, coordinator, application):
    client.force_login(coordinator)

    first = decide(client, application, amount="1000", message="Atbalstām.")
    second = decide(client, application, amount="1000,00", message="Atbalstām.")

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(
        HistoryEntry.objects.filter(application=application).values_list(
            "action", "actor", "before", "after"
        )
    ) == [
        (
            HistoryEntry.Action.DECISION,
            coordinator.pk,
            {"decision": "", "awarded_amount": None, "decision_message": ""},
            {
                "decision": "supported",
                "awarded_amount": "1000.00",
                "decision_message": "Atbalstām.",
            },
        )
    ]


def test_change_page_shows_decision_assessments_and_history(client, coordinator, application):
    client.force_login(coordinator)
    decide(client, application, decision="reserve", message="Rezerves sarakstā.")

    response = client.get(f"/admin/grants/application/{application.pk}/change/")

    page = parse(response.content)
    assert next((a.text, a.get("href")) for a in page.select("ul.object-tools a")) == (
        "Pieņemt lēmumu",
        decision_url(application),
    )
    assert page.select_one("div.field-decision div.readonly").text == "Rezerves sarakstā"
    assert page.select_one("div.field-notified_decision div.readonly").text == "-"
    assessments = page.select_one("#assessments-group")
    cells = assessments.select("tbody tr")[0].select("td")
    assert [td.text for td in cells if "original" not in td.classes][:5] == [
        str(application.assessments.get().assessor),
        "Interešu konflikta nav",
        "Nav",
        "Iesniegts",
        "80,00",
    ]
    history = page.select_one("#history-group")
    entry = history.select("tbody tr")[0]
    assert [
        entry.select_one("td.field-actor").text,
        entry.select_one("td.field-action").text,
        entry.select_one("td.field-before_readable").texts("li"),
        entry.select_one("td.field-after_readable").texts("li"),
    ] == [
        str(coordinator),
        "Lēmums",
        ["lēmums: —", "summa: —", "ziņa: —"],
        ["lēmums: Rezerves sarakstā", "summa: —", "ziņa: Rezerves sarakstā."],
    ]
