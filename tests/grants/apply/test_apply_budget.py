"""Applying: budget lines (one set as sent, at most 100, a chosen category); the target groups."""

from decimal import Decimal

import pytest

from grants import services
from grants.models import Application, BudgetLine
from tests.factories import TargetGroupFactory
from tests.factories.grants import ApplicationFactory, BudgetLineFactory, complete_application
from tests.grants.apply.helpers import new_form_key
from tests.grants.helpers import complete_data, form_data
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- Budget lines: one set as sent, at most 100, a chosen category ---------------------------

LINE = {"item": "Stādi", "category": "materials", "quantity": "10", "unit_price": "12,50"}
TOO_MANY = (
    "Budžetā var būt ne vairāk kā 100 pozīcijas, bet nosūtītas %s. Apvienojiet vai izdzēsiet "
    "liekās; budžeta izmaiņas netika saglabātas."
)


def test_a_new_form_sent_twice_keeps_one_set_of_lines(client, applicant, grant_round, community):
    data = form_data(
        community=community,
        title="Dārzs",
        lines=[LINE, {**LINE, "item": "Sēklas", "category": "equipment"}],
    )
    data["draft_key"] = new_form_key(client)

    client.post("/konkursi/dk-2026/pieteikties/", data)
    client.post("/konkursi/dk-2026/pieteikties/", data)

    [application] = Application.objects.all()
    assert list(application.budget_lines.values_list("item", "category", "order")) == [
        ("Stādi", "materials", 0),
        ("Sēklas", "equipment", 1),
    ]


def test_saves_without_line_ids_replace_the_lines_instead_of_adding(
    client, applicant, grant_round, community
):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = form_data(community=community, lines=[LINE] * 3)

    for _attempt in range(3):
        client.post(f"/pieteikumi/{application.key}/labot/", data)

    assert list(application.budget_lines.values_list("item", flat=True)) == ["Stādi"] * 3


def test_a_row_with_a_mistyped_cell_keeps_its_saved_line(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    kept = BudgetLineFactory(application=application, item="Krāsa", quantity=Decimal(2))
    gone = BudgetLineFactory(application=application, item="Otas")
    data = form_data(
        community=community, lines=[{"id": kept.pk, **LINE, "item": "Krāsa", "quantity": "x"}]
    )

    response = client.post(f"/pieteikumi/{application.key}/labot/", data)

    assert response.status_code == 400
    assert list(application.budget_lines.values_list("pk", "item", "quantity")) == [
        (kept.pk, "Krāsa", Decimal("2.00"))
    ]
    assert not BudgetLine.objects.filter(pk=gone.pk).exists()


def test_a_form_without_its_budget_table_leaves_the_lines(
    client, applicant, grant_round, community
):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    line = BudgetLineFactory(application=application)
    data = {
        key: value
        for key, value in form_data(community=community, title="Bez tabulas").items()
        if not key.startswith("lines-")
    }

    client.post(f"/pieteikumi/{application.key}/labot/", data)

    application.refresh_from_db()
    assert (application.title, list(application.budget_lines.all())) == ("Bez tabulas", [line])


def test_more_than_100_lines_are_refused_with_a_latvian_message(
    client, applicant, grant_round, community
):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    BudgetLineFactory.create_batch(100, application=application)
    before = list(application.budget_lines.values_list("pk", flat=True))
    data = form_data(community=community, title="Pārāk garš", lines=[LINE] * 101)

    response = client.post(f"/pieteikumi/{application.key}/labot/", data)

    page = parse(response.content)
    application.refresh_from_db()
    assert response.status_code == 400
    assert list(application.budget_lines.values_list("pk", flat=True)) == before
    assert application.title == "Pārāk garš"  # everything else typed is kept
    assert f"Budžets: {TOO_MANY % 101}" in page.texts(".error-summary li")


def test_the_line_cap_holds_for_resent_forms_of_a_new_application(
    client, applicant, grant_round, community
):
    # The 153 lines seen: each resent copy of a full table used to add its rows again.
    data = form_data(community=community, lines=[LINE] * 100)
    data["draft_key"] = new_form_key(client)

    for _attempt in range(3):
        client.post("/konkursi/dk-2026/pieteikties/", data)

    assert BudgetLine.objects.count() == 100


def test_the_line_cap_holds_for_a_submitted_application(client, submitted, community, group):
    data = complete_data(
        community=community, target_groups=[group], version=submitted.version, lines=[LINE] * 101
    )

    response = client.post(f"/pieteikumi/{submitted.reference}/labot/", data)

    submitted.refresh_from_db()
    assert (response.status_code, submitted.budget_lines.count()) == (400, 1)
    assert f"Budžets: {TOO_MANY % 101}" in parse(response.content).texts(".error-summary li")


def test_a_draft_over_the_cap_cannot_be_submitted(applicant, grant_round, community, group):
    application = complete_application(round=grant_round, applicant=applicant, community=community)
    application.target_groups.add(group)
    BudgetLineFactory.create_batch(100, application=application, unit_price=Decimal("0.01"))

    errors = services.submission_errors(application=application)

    assert errors["lines"] == [TOO_MANY % 101]


def test_a_line_needs_its_category_chosen(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = form_data(community=community, lines=[{**LINE, "category": ""}])

    response = client.post(f"/pieteikumi/{application.key}/labot/", data)

    page = parse(response.content)
    assert (response.status_code, application.budget_lines.count()) == (400, 0)
    first_row = page.select("#budget-lines tr.budget-line")[0]
    assert first_row.texts(".errorlist li") == ["Izvēlieties pozīcijas kategoriju."]


def test_the_category_starts_unchosen(client, applicant, grant_round):
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    select = page.select_one("select[name=lines-0-category]")
    options = select.select("option")
    assert (options[0].get("value"), options[0].text) == ("", "— izvēlieties —")
    assert [option.get("value") for option in select.select("option[selected]")] == [""]


def test_the_form_offers_the_rounds_target_groups_or_all_of_them(
    client, applicant, grant_round, group
):
    youth = TargetGroupFactory(title="Neredzamā jaunatne")
    TargetGroupFactory(title="Vīrieši 35+")

    def offered():
        page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)
        return {int(box.get("value")) for box in page.select("input[name=target_groups]")}

    every = set(TargetGroupFactory._meta.model.objects.values_list("pk", flat=True))
    assert offered() == every
    grant_round.target_groups.add(group, youth)
    assert offered() == {group.pk, youth.pk}
