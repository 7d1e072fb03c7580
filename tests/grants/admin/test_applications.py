"""Decisions, publishing and re-notification through the admin (issue 4): bad input at its field
with everything typed kept, one history entry per real change, one mail per applicant however
often results are published, and after publication nobody is written to until re-notified."""

from decimal import Decimal

import pytest
from django.core import mail

from grants.models import Application, GrantRound, HistoryEntry
from initiatives.models import Initiative
from tests.factories import UserFactory, staff
from tests.factories.grants import closed_round, submitted_application, submitted_assessment
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant_round(assessor):
    """Budget 5 000 €, at most 2 000 € a project; 3 000 € already awarded to others."""
    grant_round = closed_round(
        status=GrantRound.Status.DECISIONS,
        criteria=[(10, "1")],
        assessors=[assessor],
        total_budget=Decimal("5000.00"),
        max_grant=Decimal("2000.00"),
        reference_code="DK-2024",
        slug="lemumi",
    )
    for requested in ("2000.00", "1500.00"):
        other = submitted_application(grant_round, requested=Decimal(requested))
        submitted_assessment(other, assessor, (7,))
        other.decision = Application.Decision.SUPPORTED
        other.awarded_amount = Decimal("1500.00")
        other.save()
    return grant_round


@pytest.fixture
def application(grant_round, assessor):
    application = submitted_application(
        grant_round,
        title="Ezera svētki",
        requested=Decimal("2500.00"),
        applicant=UserFactory(username="pieteiceja", email="pieteiceja@example.lv"),
    )
    submitted_assessment(application, assessor, (8,))
    return application


def decision_url(application):
    return f"/admin/grants/application/{application.pk}/lemums/"


def ranking_url(grant_round):
    return f"/admin/grants/grantround/{grant_round.pk}/ranking/"


def decide(client, application, *, decision="supported", amount="", message="", follow=False):
    return client.post(
        decision_url(application),
        {"decision": decision, "awarded_amount": amount, "decision_message": message},
        follow=follow,
    )


def field_errors(response) -> dict[str, list[str]]:
    page = parse(response.content)
    errors = {}
    for row in page.select("div.form-row.errors"):
        name = (row.select("input") or row.select("textarea"))[0].get("name")
        errors[name] = row.texts("ul.errorlist li")
    non_field = page.texts("div.errornote ul.errorlist li")
    if non_field:
        errors["__all__"] = non_field
    return errors


def typed(response) -> dict[str, str]:
    page = parse(response.content)
    return {
        "decision": [
            radio.get("value")
            for radio in page.select("input[name=decision]")
            if "checked" in radio.attrs
        ],
        "awarded_amount": page.select_one("input[name=awarded_amount]").get("value"),
        "decision_message": page.select_one("textarea[name=decision_message]").text,
    }


def messages_of(response) -> list[str]:
    return parse(response.content).texts("ul.messagelist li")


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


# --- Publishing ------------------------------------------------------------------------------


@pytest.fixture
def decided(client, coordinator, grant_round, application):
    """Every application decided: the two others supported, this one not."""
    client.force_login(coordinator)
    response = decide(
        client, application, decision="not_supported", message="Paldies!", follow=True
    )
    assert messages_of(response) == ["Lēmums par pieteikumu DK-2024-003 saglabāts."]
    return grant_round


def publish_url(grant_round):
    return f"/admin/grants/grantround/{grant_round.pk}/publicet/"


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


# --- History and initiatives -----------------------------------------------------------------


def test_history_is_read_only_and_readable(client, coordinator, application, assessor):
    client.force_login(coordinator)
    decide(client, application, amount="1 000", message="Atbalstām.")
    criterion = application.round.criteria.get()
    HistoryEntry.objects.create(
        round=application.round,
        application=application,
        actor=assessor,
        action=HistoryEntry.Action.SCORES,
        before={},
        after={str(criterion.pk): [8, "Skaidrs plāns."]},
    )
    other_round = closed_round(status=GrantRound.Status.DECISIONS, reference_code="DK-2019")
    HistoryEntry.objects.create(
        round=other_round, action=HistoryEntry.Action.PUBLISHED, before={}, after={}
    )

    response = client.get("/admin/grants/historyentry/?q=DK-2024-003")

    rows = parse(response.content).select("#result_list tbody tr")
    assert [
        (
            row.select_one("td.field-actor").text,
            row.select_one("td.field-action").text,
            row.select_one("td.field-application").text,
            row.select_one("td.field-before_readable").texts("li"),
            row.select_one("td.field-after_readable").texts("li"),
        )
        for row in rows
    ] == [
        (
            str(assessor),
            "Punkti un komentāri",
            "DK-2024-003",
            [],
            ["Kritērijs 1: 8 p. – Skaidrs plāns."],
        ),
        (
            str(coordinator),
            "Lēmums",
            "DK-2024-003",
            ["lēmums: —", "summa: —", "ziņa: —"],
            ["lēmums: Atbalstīts", "summa: 1 000,00 €", "ziņa: Atbalstām."],
        ),
    ]
    filtered = client.get(
        f"/admin/grants/historyentry/?action=published&round__id__exact={other_round.pk}"
    )
    assert [
        row.select_one("td.field-action").text
        for row in parse(filtered.content).select("#result_list tbody tr")
    ] == ["Rezultāti publicēti"]
    entry = HistoryEntry.objects.filter(action=HistoryEntry.Action.DECISION).get()
    answers = [
        client.get("/admin/grants/historyentry/add/").status_code,
        client.get(f"/admin/grants/historyentry/{entry.pk}/change/").status_code,
        client.post(f"/admin/grants/historyentry/{entry.pk}/change/", {}).status_code,
        client.get(f"/admin/grants/historyentry/{entry.pk}/delete/").status_code,
    ]
    assert answers == [403, 200, 403, 403]
    assert HistoryEntry.objects.count() == 3


def test_history_list_cuts_long_comments_and_the_entry_shows_them_whole(
    client, coordinator, application, assessor
):
    criterion = application.round.criteria.get()
    comment = "Ļoti garš pamatojums. " * 10
    entry = HistoryEntry.objects.create(
        round=application.round,
        application=application,
        actor=assessor,
        action=HistoryEntry.Action.SCORES,
        before={},
        after={str(criterion.pk): [8, comment]},
    )
    client.force_login(coordinator)

    listed = parse(client.get("/admin/grants/historyentry/?q=DK-2024-003").content)
    shown = parse(client.get(f"/admin/grants/historyentry/{entry.pk}/change/").content)

    header = [th.text for th in listed.select("#result_list thead th") if th.text]
    assert header == ["Kad", "Kas", "Darbība", "Pieteikums", "Pirms", "Pēc"]
    [cut] = listed.select_one("td.field-after_readable").texts("li")
    assert cut.startswith("Kritērijs 1: 8 p. – Ļoti garš pamatojums.")
    assert cut.endswith("…")
    assert len(cut) == len("Kritērijs 1: 8 p. – ") + 80
    assert shown.select_one("div.field-after_full").texts("li") == [
        f"Kritērijs 1: 8 p. – {comment}".strip()
    ]


@pytest.mark.parametrize("role", ["Vērtētāji", "Centru vadītāji"])
def test_history_is_coordinators_only(client, application, role):
    client.force_login(staff(role))

    response = client.get("/admin/grants/historyentry/")

    assert response.status_code == 403


def test_initiatives_of_published_support_are_listed_for_coordinators(
    client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(decided))

    response = client.get("/admin/initiatives/initiative/?status__exact=planned")

    rows = parse(response.content).select("#result_list tbody tr")
    supported = Application.objects.filter(
        round=decided, decision=Application.Decision.SUPPORTED
    ).order_by("title", "pk")
    assert sorted(
        (
            row.select_one("td.field-status").text,
            [(a.text, a.get("href")) for a in row.select("td.field-application_link a")],
        )
        for row in rows
    ) == sorted(
        (
            "Plānota",
            [(application.reference, f"/admin/grants/application/{application.pk}/change/")],
        )
        for application in supported
    )
    initiative = Initiative.objects.filter(application__round=decided).first()
    change_page = parse(
        client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/").content
    )
    assert change_page.select("select[name=application]") == []
    assert [a.get("href") for a in change_page.select("div.field-application_link a")] == [
        f"/admin/grants/application/{initiative.application_id}/change/"
    ]


def test_coordinators_see_the_applicants_full_name_not_the_username(
    client, coordinator, application, grant_round
):
    application.applicant.first_name, application.applicant.last_name = "Ilze", "Ozoliņa"
    application.applicant.save()
    client.force_login(coordinator)

    listed = parse(
        client.get(f"/admin/grants/application/?round__id__exact={grant_round.pk}").content
    )
    shown = parse(client.get(f"/admin/grants/application/{application.pk}/change/").content)
    searched = parse(client.get("/admin/grants/application/?q=Ozoli").content)

    rows = {
        row.select_one("th.field-reference").text: row.select_one("td.field-applicant_name").text
        for row in listed.select("#result_list tbody tr")
    }
    assert rows[application.reference] == "Ilze Ozoliņa"
    assert "pieteiceja" not in rows.values()
    assert shown.select_one("div.field-applicant_name div.readonly").text == "Ilze Ozoliņa"
    assert [
        row.select_one("th.field-reference").text
        for row in searched.select("#result_list tbody tr")
    ] == [application.reference]
