"""Applying: drafts, autosave, and the draft keys that make a resent form count once."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants.models import Application, BudgetLine
from tests.factories.grants import PDF_BYTES, ApplicationFactory, activist, complete_application
from tests.grants.apply.helpers import messages_of, new_form_key
from tests.grants.helpers import complete_data, form_data
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- Drafts ----------------------------------------------------------------------------------


def test_saving_a_draft_keeps_an_incomplete_form_and_returns_to_it(
    client, applicant, grant_round, community
):
    data = form_data(
        community=community,
        title="Senioru deju vakari",
        expected_participants="",
        lines=[{"item": "Skaņas noma", "quantity": "2", "unit_price": "40,50"}],
        extra_rows=2,
    )

    response = client.post("/konkursi/dk-2026/pieteikties/", data, follow=True)

    application = Application.objects.get()
    edit_url = f"/pieteikumi/{application.draft_key}/labot/"
    assert response.redirect_chain == [(edit_url, 302)]
    [message] = messages_of(response)
    assert re.fullmatch(r"Melnraksts saglabāts plkst\. [0-2]\d\.[0-5]\d", message)
    assert (
        application.status,
        application.title,
        application.applicant,
        application.reference,
    ) == (
        Application.Status.DRAFT,
        "Senioru deju vakari",
        applicant,
        None,
    )
    assert list(application.budget_lines.values_list("item", "quantity", "unit_price")) == [
        ("Skaņas noma", Decimal("2.00"), Decimal("40.50"))
    ]
    page = parse(response.content)
    assert page.select_one("input[name=title]").get("value") == "Senioru deju vakari"
    rows = page.select("#budget-lines tr.budget-line")
    assert [row.select("input[type=text]")[0].get("value") for row in rows] == [
        "Skaņas noma",
        None,
        None,
        None,
    ]
    assert page.select_one("#saved-totals").text == (
        "Saglabātajā budžetā: kopsumma 81,00 €, līdzfinansējums 0,00 €, prasītā summa 81,00 €."
    )


def test_a_draft_is_resumed_and_changed(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    line = BudgetLine.objects.create(
        application=application, item="Krāsa", quantity=1, unit_price=5
    )
    data = form_data(
        community=community,
        title="Jauns nosaukums",
        lines=[
            {"id": line.pk, "item": "Krāsa", "quantity": "3", "unit_price": "5"},
            {"item": "Otas", "quantity": "4", "unit_price": "2,25"},
        ],
    )

    response = client.post(f"/pieteikumi/{application.key}/labot/", data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.title, application.version) == ("Jauns nosaukums", 2)
    assert list(application.budget_lines.values_list("item", "quantity")) == [
        ("Krāsa", Decimal("3.00")),
        ("Otas", Decimal("4.00")),
    ]


def test_removing_a_line_and_an_attachment(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    line = BudgetLine.objects.create(
        application=application, item="Krāsa", quantity=1, unit_price=5
    )
    client.post(
        f"/pieteikumi/{application.key}/labot/",
        {
            **form_data(community=community),
            "files": SimpleUploadedFile("tāme.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    attachment = application.attachments.get()
    data = form_data(
        community=community,
        lines=[
            {"id": line.pk, "item": "Krāsa", "quantity": "1", "unit_price": "5", "DELETE": "on"}
        ],
    )
    data["remove_attachments"] = [attachment.pk]

    client.post(f"/pieteikumi/{application.key}/labot/", data)

    assert (application.budget_lines.count(), application.attachments.count()) == (0, 0)


def test_someone_elses_line_id_is_not_touched(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    foreign = BudgetLine.objects.create(
        application=ApplicationFactory(round=grant_round), item="Svešs", quantity=1, unit_price=1
    )
    data = form_data(
        community=community,
        lines=[{"id": foreign.pk, "item": "Mans", "quantity": "1", "unit_price": "1"}],
    )

    client.post(f"/pieteikumi/{application.key}/labot/", data)

    foreign.refresh_from_db()
    assert foreign.item == "Svešs"
    assert list(application.budget_lines.values_list("item", flat=True)) == ["Mans"]


def test_autosave_of_a_new_application_creates_the_draft(client, applicant, grant_round, community):
    data = form_data(
        community=community,
        title="Automātiski",
        lines=[{"item": "Krēsli", "quantity": "5", "unit_price": "10"}],
        extra_rows=1,
    )

    response = client.post("/konkursi/dk-2026/pieteikties/", data, HTTP_X_AUTOSAVE="1")

    application = Application.objects.get()
    line = application.budget_lines.get()
    body = response.json()
    assert response.status_code == 200
    assert re.fullmatch(r"Saglabāts plkst\. [0-2]\d\.[0-5]\d", body["message"])
    assert {key: body[key] for key in ("version", "edit_url", "lines", "errors")} == {
        "version": 1,
        "edit_url": f"/pieteikumi/{application.draft_key}/labot/",
        # The empty row saved nothing: the script clears its id.
        "lines": {"lines-0": line.pk, "lines-1": None},
        "errors": {},
    }
    assert application.title == "Automātiski"


def test_autosave_keeps_valid_fields_and_reports_the_others(
    client, applicant, grant_round, community
):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = form_data(community=community, title="Labs", expected_participants="daudz")

    body = client.post(f"/pieteikumi/{application.key}/labot/", data, HTTP_X_AUTOSAVE="1").json()

    application.refresh_from_db()
    assert (application.title, application.expected_participants, body["version"]) == (
        "Labs",
        None,
        2,
    )
    assert body["errors"] == {
        "expected_participants": [{"message": "Jāievada vesels skaitlis.", "code": "invalid"}]
    }


def test_autosave_never_changes_a_submitted_application(client, applicant, grant_round, community):
    application = complete_application(
        round=grant_round,
        applicant=applicant,
        community=community,
        status=Application.Status.SUBMITTED,
        reference="DK-2026-001",
        number=1,
    )

    response = client.post(
        f"/pieteikumi/{application.key}/labot/",
        form_data(community=community, title="Cits"),
        HTTP_X_AUTOSAVE="1",
    )

    application.refresh_from_db()
    assert (response.status_code, application.title) == (409, "Kopienas dārzs pie skolas")


def test_a_new_application_sent_twice_is_submitted_once(
    client, applicant, grant_round, community, group, mailoutbox, django_capture_on_commit_callbacks
):
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)
    key = page.select_one("input[name=draft_key]").get("value")
    data = complete_data(community=community, target_groups=[group], action="submit")
    data["draft_key"] = key

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/konkursi/dk-2026/pieteikties/", data)
        second = client.post("/konkursi/dk-2026/pieteikties/", data, follow=True)

    [application] = Application.objects.all()
    assert (f"{application.draft_key}:", application.reference) == (
        key[: len(application.draft_key) + 1],
        "DK-2026-001",
    )
    assert first["Location"] == "/pieteikumi/DK-2026-001/"
    assert second.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    assert messages_of(second)[-1] == "Pieteikums jau ir iesniegts; otrreiz tas netika sūtīts."
    assert len(mailoutbox) == 1


def test_a_new_draft_saved_twice_is_one_draft(client, applicant, grant_round, community):
    data = form_data(community=community, title="Senioru deju vakari")
    data["draft_key"] = new_form_key(client)

    client.post("/konkursi/dk-2026/pieteikties/", data)
    response = client.post("/konkursi/dk-2026/pieteikties/", {**data, "title": "Deju vakari"})

    [application] = Application.objects.all()
    assert application.title == "Deju vakari"
    assert re.fullmatch(r"[0-9a-f]{32}", application.draft_key)
    assert response["Location"] == f"/pieteikumi/{application.draft_key}/labot/"


def test_someone_elses_draft_key_is_not_theirs_to_use(client, applicant, grant_round, community):
    other = ApplicationFactory(round=grant_round, community=community, title="Svešs")
    data = form_data(community=community, title="Mans")
    data["draft_key"] = other.draft_key

    response = client.post("/konkursi/dk-2026/pieteikties/", data)

    other.refresh_from_db()
    assert (response.status_code, other.title) == (400, "Svešs")
    assert not Application.objects.filter(applicant=applicant).exists()


SQUAT_MESSAGE = (
    "Melnraksts netika saglabāts: šī veidlapa nav izsniegta jums šim konkursam. Pārbaudiet "
    "ierakstīto un saglabājiet vēlreiz."
)


@pytest.mark.parametrize(
    "forged",
    [
        "DK-2026-001",  # the victim's reference, typed as the key
        "DK-2026-001:forged-signature",
        "0123456789abcdef0123456789abcdef",  # a key of the right shape, never issued
    ],
)
def test_a_draft_cannot_take_someone_elses_reference_as_its_key(
    client, applicant, grant_round, community, forged
):
    victim = ApplicationFactory(
        round=grant_round,
        title="Upes svētki",
        status=Application.Status.SUBMITTED,
        reference="DK-2026-001",
        number=1,
    )
    data = form_data(community=community, title="Pārņemtā adrese")
    data["draft_key"] = forged

    response = client.post("/konkursi/dk-2026/pieteikties/", data)

    page = parse(response.content)
    assert response.status_code == 400
    assert page.texts("ul.messages li") == [SQUAT_MESSAGE]
    # The form comes back as typed, with a key the server issued in place of the forged one.
    assert page.select_one("input[name=title]").get("value") == "Pārņemtā adrese"
    assert page.select_one("input[name=draft_key]").get("value") != forged
    assert not Application.objects.filter(applicant=applicant).exists()
    client.force_login(victim.applicant)
    victim_page = client.get("/pieteikumi/DK-2026-001/")
    assert (victim_page.status_code, victim_page.context["application"]) == (200, victim)


def test_a_key_issued_to_someone_else_is_refused(client, applicant, grant_round, community):
    other = activist(community)
    client.force_login(other)
    key_of_other = new_form_key(client)
    client.force_login(applicant)
    data = form_data(community=community, title="Mans")
    data["draft_key"] = key_of_other

    response = client.post("/konkursi/dk-2026/pieteikties/", data)

    assert (response.status_code, Application.objects.count()) == (400, 0)


def test_a_reference_never_opens_a_draft_that_copied_it_as_its_key(client, grant_round, community):
    # Rows saved before keys were issued by the server: a draft keyed with a reference.
    victim = ApplicationFactory(
        round=grant_round,
        title="Upes svētki",
        status=Application.Status.SUBMITTED,
        reference="DK-2026-001",
        number=1,
    )
    squatter = ApplicationFactory(round=grant_round, community=community, title="Svešs")
    Application.objects.filter(pk=squatter.pk).update(draft_key="DK-2026-001")
    client.force_login(victim.applicant)

    response = client.get("/pieteikumi/DK-2026-001/")

    assert (response.status_code, response.context["application"]) == (200, victim)
    client.force_login(squatter.applicant)
    assert client.get("/pieteikumi/DK-2026-001/").status_code == 404
