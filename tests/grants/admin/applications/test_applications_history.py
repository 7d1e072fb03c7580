"""The decision history and the initiatives of published support in the admin."""

import pytest

from grants.models import Application, GrantRound, HistoryEntry
from initiatives.models import Initiative
from tests.factories import staff
from tests.factories.grants import closed_round
from tests.grants.admin.applications.helpers import decide, publish_url
from tests.html import parse

pytestmark = pytest.mark.django_db


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

    response = client.get("/admin/initiatives/initiative/?status__exact=supported")

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
            "Atbalstīta",
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
