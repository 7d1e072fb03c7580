"""Round set-up in the admin (issue 4): criteria inline, assessors only from the assessors' group,
the status rules, copying a round for next year and the changelist's way to the ranking."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import Criterion, GrantRound
from tests.factories import staff
from tests.factories.grants import CriterionFactory, GrantRoundFactory, closed_round
from tests.html import parse

pytestmark = pytest.mark.django_db

ROUNDS = "/admin/grants/grantround/"


def form_of(response, form_id="grantround_form") -> dict:
    """What the browser would send for the page's form as it stands."""
    form = parse(response.content).select_one(f"form#{form_id}")
    data: dict = {}
    for field in form.select("input"):
        name, kind = field.get("name"), field.get("type")
        if not name or kind in ("submit", "button"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in field.attrs:
            continue
        data.setdefault(name, []).append(field.get("value") or ("on" if kind == "checkbox" else ""))
    for field in form.select("textarea"):
        data.setdefault(field.get("name"), []).append(field.text)
    for field in form.select("select"):
        chosen = [o.get("value") for o in field.select("option") if "selected" in o.attrs]
        data[field.get("name")] = chosen
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


def change(client, grant_round, **changes):
    url = f"{ROUNDS}{grant_round.pk}/change/"
    data = {**form_of(client.get(url)), **changes, "_save": "Saglabāt"}
    return client.post(url, data)


def errors_of(response) -> dict[str, list[str]]:
    page = parse(response.content)
    return {
        next(c for c in row.classes if c.startswith("field-")).removeprefix("field-"): row.texts(
            "ul.errorlist li"
        )
        for row in page.select("div.form-row")
        if row.texts("ul.errorlist li")
    }


def test_setup_page_has_threshold_published_at_and_criteria_with_comment_rule(client, coordinator):
    grant_round = GrantRoundFactory(disagreement_threshold=Decimal("20.00"))
    CriterionFactory(round=grant_round, title="Ietekme uz kopienu", comment_required=False)
    client.force_login(coordinator)

    response = client.get(f"{ROUNDS}{grant_round.pk}/change/")

    page = parse(response.content)
    assessing = next(
        fieldset
        for fieldset in page.select("fieldset.module")
        if fieldset.select("h2") and fieldset.select("h2")[0].text == "Vērtēšana"
    )
    assert [
        (row.select("legend") or row.select("label"))[0].text
        for row in assessing.select("div.form-row")
    ] == [
        "Vērtētāji:",
        "Vērtētāju nesaskaņas slieksnis, punkti:",
        "Rezultāti publicēti:",
    ]
    assert page.select_one("input[name=disagreement_threshold]").get("value") == "20.00"
    assert page.select("input[name=results_published_at]") == []
    assert [th.text for th in page.select("#criteria-group thead th") if th.text] == [
        "Secība",
        "Kritērijs",
        "Norādes vērtētājiem",
        "Maksimālie punkti",
        "Svars",
        "Komentārs obligāts",
        "Dzēst?",
    ]


def test_coordinator_saves_threshold_and_a_criterion(client, coordinator):
    grant_round = GrantRoundFactory()
    client.force_login(coordinator)

    response = change(
        client,
        grant_round,
        disagreement_threshold="30.5",
        **{
            "criteria-0-title": "Mazāk aktīvo iesaiste",
            "criteria-0-guidance": "Cik ļoti iesaistīti jaunieši un seniori?",
            "criteria-0-max_points": "20",
            "criteria-0-weight": "2",
            "criteria-0-order": "1",
            "criteria-0-comment_required": "",
        },
    )

    assert response.status_code == 302
    grant_round.refresh_from_db()
    assert grant_round.disagreement_threshold == Decimal("30.50")
    assert list(
        Criterion.objects.filter(round=grant_round).values_list(
            "title", "max_points", "weight", "comment_required"
        )
    ) == [("Mazāk aktīvo iesaiste", 20, Decimal("2.00"), False)]


def test_assessors_are_chosen_among_active_members_of_the_assessors_group(client, coordinator):
    grant_round = GrantRoundFactory()
    assessor = staff("Vērtētāji", username="vertetaja", first_name="Ilze", last_name="Ozola")
    former = staff("Vērtētāji", username="bijusi", is_active=False)
    outsider = staff("Centru vadītāji", username="vaditajs")
    client.force_login(coordinator)

    page = parse(client.get(f"{ROUNDS}{grant_round.pk}/change/").content)
    offered = [o.get("value") for o in page.select("select[name=assessors] option")]
    refused = change(client, grant_round, assessors=[str(assessor.pk), str(outsider.pk)])
    inactive = change(client, grant_round, assessors=[str(former.pk)])
    accepted = change(client, grant_round, assessors=[str(assessor.pk)])

    assert offered == [str(assessor.pk)]
    message = "Izvēlieties derīgu vērtību. {} nav starp pieejamajām."
    assert errors_of(refused) == {"assessors": [message.format(outsider.pk)]}
    assert errors_of(inactive) == {"assessors": [message.format(former.pk)]}
    assert accepted.status_code == 302
    assert list(grant_round.assessors.all()) == [assessor]


def test_assessment_cannot_start_before_the_deadline(client, coordinator):
    grant_round = GrantRoundFactory(closes_at=timezone.now() + timedelta(days=3))
    client.force_login(coordinator)

    response = change(client, grant_round, status=GrantRound.Status.ASSESSMENT)

    assert errors_of(response) == {"status": ["Vērtēšanu var sākt tikai pēc pieteikšanās beigām."]}
    grant_round.refresh_from_db()
    assert grant_round.status == GrantRound.Status.OPEN


def test_results_are_published_only_by_publishing(client, coordinator):
    deciding = closed_round(status=GrantRound.Status.DECISIONS)
    published = closed_round(status=GrantRound.Status.RESULTS)
    client.force_login(coordinator)

    publish = change(client, deciding, status=GrantRound.Status.RESULTS)
    reopen = change(client, published, status=GrantRound.Status.DECISIONS)

    assert errors_of(publish) == {
        "status": ["Rezultātus publicē reitinga lapā ar pogu „Publicēt rezultātus”."]
    }
    assert errors_of(reopen) == {
        "status": ["Rezultāti jau ir publicēti: konkursa statusu vairs mainīt nevar."]
    }


def test_criteria_maxima_and_weights_are_fixed_once_assessment_began(client, coordinator):
    grant_round = closed_round(criteria=[(10, "1")])
    client.force_login(coordinator)

    page = parse(client.get(f"{ROUNDS}{grant_round.pk}/change/").content)

    assert [i.get("name") for i in page.select("#criteria-group input[type=text]")] == [
        "criteria-0-title"
    ]
    assert page.select("input[name=criteria-0-max_points]") == []
    assert page.select("input[name=criteria-0-weight]") == []
    assert page.select("input[name=criteria-0-DELETE]") == []
    assert page.select_one("input[name=criteria-TOTAL_FORMS]").get("value") == "1"


def test_changelist_shows_status_and_ranking_link_for_closed_rounds(client, coordinator):
    open_round = GrantRoundFactory(title="Atvērtais konkurss")
    closed = closed_round(title="Slēgtais konkurss", status=GrantRound.Status.DECISIONS)
    client.force_login(coordinator)

    response = client.get(ROUNDS)

    rows = {
        tr.select_one("th").text: (
            tr.select_one("td.field-status").text,
            [a.get("href") for a in tr.select("td.field-ranking_link a")],
        )
        for tr in parse(response.content).select("#result_list tbody tr")
    }
    assert rows == {
        "Atvērtais konkurss": ("Izsludināts", []),
        "Slēgtais konkurss": (
            "Lēmumu pieņemšana",
            [f"{ROUNDS}{closed.pk}/ranking/"],
        ),
    }
    assert open_round.pk != closed.pk


def test_copy_action_makes_next_years_round_and_links_to_it(client, coordinator):
    grant_round = GrantRoundFactory(
        title="Mazo iniciatīvu konkurss 2025", year=2025, reference_code="DK-2025"
    )
    CriterionFactory(round=grant_round, title="Ietekme", max_points=20, weight=Decimal("2"))
    client.force_login(coordinator)

    response = client.post(
        ROUNDS,
        {"action": "copy_for_next_year", "_selected_action": [grant_round.pk]},
        follow=True,
    )

    copy = GrantRound.objects.exclude(pk=grant_round.pk).get()
    assert (copy.title, copy.year, copy.reference_code, copy.status) == (
        "Mazo iniciatīvu konkurss 2025 (kopija)",
        2026,
        "DK-2026",
        GrantRound.Status.DRAFT,
    )
    assert list(copy.criteria.values_list("title", "max_points", "weight")) == [
        ("Ietekme", 20, Decimal("2.00"))
    ]
    message = parse(response.content).select_one("ul.messagelist li")
    assert message.text == (
        "Konkurss „Mazo iniciatīvu konkurss 2025” nokopēts: "
        "Mazo iniciatīvu konkurss 2025 (kopija) (sagatavošanā)."
    )
    assert [a.get("href") for a in message.select("a")] == [f"{ROUNDS}{copy.pk}/change/"]


def test_change_page_links_to_the_ranking(client, coordinator):
    grant_round = closed_round()
    client.force_login(coordinator)

    page = parse(client.get(f"{ROUNDS}{grant_round.pk}/change/").content)

    assert next((a.text, a.get("href")) for a in page.select("ul.object-tools a")) == (
        "Reitings",
        f"{ROUNDS}{grant_round.pk}/ranking/",
    )


@pytest.mark.parametrize(
    ("was", "wanted", "message"),
    [
        ("assessment", "open", "Statusu „Vērtēšana” var mainīt tikai uz: „Lēmumu pieņemšana”."),
        ("decisions", "draft", "Statusu „Lēmumu pieņemšana” var mainīt tikai uz: „Vērtēšana”."),
        ("draft", "decisions", "Statusu „Sagatavošanā” var mainīt tikai uz: „Izsludināts”."),
    ],
)
def test_a_round_moves_through_its_statuses_in_order(client, coordinator, was, wanted, message):
    grant_round = closed_round(criteria=[(10, 1)], status=was)
    client.force_login(coordinator)

    response = change(client, grant_round, status=wanted)

    assert errors_of(response) == {"status": [message]}
    grant_round.refresh_from_db()
    assert grant_round.status == was


def test_a_status_change_is_saved_by_the_service_with_the_rest_of_the_form(
    client, coordinator, monkeypatch
):
    from grants import services

    grant_round = closed_round(status=GrantRound.Status.OPEN, title="Vecais nosaukums")
    calls = []
    change_round_status = services.change_round_status

    def recorded(**kwargs):
        calls.append((kwargs["grant_round"].pk, kwargs["status"], kwargs["actor"]))
        return change_round_status(**kwargs)

    monkeypatch.setattr(services, "change_round_status", recorded)
    client.force_login(coordinator)

    response = change(
        client, grant_round, status=GrantRound.Status.ASSESSMENT, title="Jaunais nosaukums"
    )

    assert response.status_code == 302
    grant_round.refresh_from_db()
    assert (grant_round.status, grant_round.title) == (
        GrantRound.Status.ASSESSMENT,
        "Jaunais nosaukums",
    )
    assert calls == [(grant_round.pk, GrantRound.Status.ASSESSMENT, coordinator)]


def test_a_round_added_as_announced_is_opened_by_the_service(client, coordinator, monkeypatch):
    from grants import services

    calls = []
    change_round_status = services.change_round_status

    def recorded(**kwargs):
        calls.append(kwargs["status"])
        return change_round_status(**kwargs)

    monkeypatch.setattr(services, "change_round_status", recorded)
    client.force_login(coordinator)
    data = {
        **form_of(client.get(f"{ROUNDS}add/")),
        "title": "Jaunais konkurss",
        "slug": "jaunais-konkurss",
        "year": "2027",
        "status": GrantRound.Status.OPEN,
        "reference_code": "DK-2027",
        "description": "Apraksts.",
        "opens_at_0": "2027-01-01",
        "opens_at_1": "00:00",
        "closes_at_0": "2027-02-01",
        "closes_at_1": "23:59",
        "implementation_starts": "2027-03-01",
        "implementation_ends": "2027-09-30",
        "total_budget": "10000",
        "max_grant": "1500",
        "_save": "Saglabāt",
    }

    response = client.post(f"{ROUNDS}add/", data)

    assert response.status_code == 302
    assert GrantRound.objects.get(slug="jaunais-konkurss").status == GrantRound.Status.OPEN
    assert calls == [GrantRound.Status.OPEN]


def test_the_history_shows_who_changed_the_status_and_how(client, coordinator):
    grant_round = closed_round(status=GrantRound.Status.OPEN)
    client.force_login(coordinator)

    change(client, grant_round, status=GrantRound.Status.ASSESSMENT)
    response = client.get(f"/admin/grants/historyentry/?round__id__exact={grant_round.pk}")

    assert [
        (
            row.select_one("td.field-actor").text,
            row.select_one("td.field-action").text,
            row.select_one("td.field-before_readable").texts("li"),
            row.select_one("td.field-after_readable").texts("li"),
        )
        for row in parse(response.content).select("#result_list tbody tr")
    ] == [(str(coordinator), "Statuss mainīts", ["statuss: Izsludināts"], ["statuss: Vērtēšana"])]
