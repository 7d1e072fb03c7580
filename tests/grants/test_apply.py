"""Applying: who may start, drafts, autosave, submission, changes and withdrawal."""

import json
import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.formats import riga_datetime, riga_datetime_in
from grants import services
from grants.models import Application, ApplicationRevision, BudgetLine, GrantRound
from tests.factories import CommunityFactory, MembershipFactory, TargetGroupFactory
from tests.factories.grants import (
    PDF_BYTES,
    ApplicationFactory,
    AttachmentFactory,
    BudgetLineFactory,
    GrantRoundFactory,
    activist,
    complete_application,
    verified_user,
)
from tests.grants.helpers import complete_data, form_data
from tests.html import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(name="Preiļu kopiena")


@pytest.fixture
def grant_round():
    return GrantRoundFactory(slug="dk-2026", reference_code="DK-2026")


@pytest.fixture
def applicant(client, community):
    user = activist(community)
    client.force_login(user)
    return user


@pytest.fixture
def group():
    return TargetGroupFactory(title="Ģimenes ar bērniem")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def page_messages(client, url) -> list[str]:
    return parse(client.get(url).content).texts("ul.messages li")


# --- Who may start ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_and_back(client, grant_round):
    response = client.get("/konkursi/dk-2026/pieteikties/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/konts/login/?next=/konkursi/dk-2026/pieteikties/",
    )


def test_unverified_person_is_told_to_confirm_their_email(client, grant_round, community):
    user = activist(community)
    user.emailaddress_set.update(verified=False)
    client.force_login(user)

    response = client.get("/konkursi/dk-2026/pieteikties/")

    page = parse(response.content)
    assert response.status_code == 403
    assert page.select_one("h1").text == "Apstipriniet e-pasta adresi"
    assert page.select_one("main a.button").get("href") == "/konts/email/"
    assert Application.objects.count() == 0


def test_person_without_a_community_learns_how_to_join_one(client, grant_round, community):
    user = verified_user()
    # A request not yet approved does not count.
    MembershipFactory(user=user, community=community)
    client.force_login(user)

    response = client.get("/konkursi/dk-2026/pieteikties/")

    page = parse(response.content)
    assert response.status_code == 200
    assert page.select_one("h1").text == "Pieteikties var kopienas dalībnieks"
    assert page.select_one("main a.button").get("href") == "/kopienas/"
    assert page.select("form.application-form") == []


def test_closed_round_sends_back_to_its_page(client, applicant):
    GrantRoundFactory(slug="beidzies", closes_at=timezone.now() - timedelta(minutes=1))

    response = client.get("/konkursi/beidzies/pieteikties/", follow=True)

    assert response.redirect_chain == [("/konkursi/beidzies/", 302)]
    assert messages_of(response) == ["Šajā konkursā pieteikumus pašlaik nepieņem."]


def test_form_offers_only_communities_with_an_active_membership(client, applicant, grant_round):
    MembershipFactory(user=applicant, community=CommunityFactory(name="Aglonas kopiena"))

    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    assert page.texts("select[name=community] option") == ["Preiļu kopiena"]
    # Without JavaScript there are always three empty budget rows to fill in.
    assert len(page.select("#budget-lines tr.budget-line")) == 3
    assert (
        page.select_one("form.application-form").get("action") == "/konkursi/dk-2026/pieteikties/"
    )


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


# --- Submission ------------------------------------------------------------------------------


def test_submission_assigns_the_reference_records_and_mails_once(
    client, applicant, grant_round, community, group, mailoutbox, django_capture_on_commit_callbacks
):
    grant_round.target_groups.add(group)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/konkursi/dk-2026/pieteikties/",
            complete_data(community=community, target_groups=[group], action="submit"),
            follow=True,
        )

    application = Application.objects.get()
    assert response.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    assert messages_of(response) == [
        "Pieteikums iesniegts, tā numurs ir DK-2026-001. Apstiprinājumu nosūtījām uz jūsu e-pastu."
    ]
    assert (application.status, application.number, application.version) == (
        Application.Status.SUBMITTED,
        1,
        2,
    )
    grant_round.refresh_from_db()
    assert grant_round.last_number == 1
    revision = application.revisions.get()
    assert (revision.kind, revision.version, revision.author, revision.snapshot["title"]) == (
        ApplicationRevision.Kind.SUBMITTED,
        2,
        applicant,
        "Kopienas dārzs pie skolas",
    )
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (
        [applicant.email],
        "Darbīgās kopienas: pieteikums DK-2026-001 saņemts",
    )
    body = mail.body.replace("\xa0", " ")
    assert "Numurs: DK-2026-001\nIniciatīva: Kopienas dārzs pie skolas\n" in body
    assert "Prasītā summa: 125,00 €\n" in body
    assert "http://127.0.0.1:8000/pieteikumi/DK-2026-001/" in mail.body


def test_confirmation_is_in_english_under_the_english_interface(
    client, applicant, grant_round, community, group, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/konkursi/dk-2026/pieteikties/",
            complete_data(community=community, target_groups=[group], action="submit"),
        )

    [mail] = mailoutbox
    # The catalogue is translated at the end of the issue; until then the English mail carries
    # the Latvian msgids, yet its formats already follow the interface.
    assert "125,00" not in mail.body
    assert ": €125.00\n" in mail.body


def test_double_submit_submits_once(
    client, applicant, grant_round, community, group, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = complete_data(community=community, target_groups=[group], action="submit", version=1)
    url = f"/pieteikumi/{application.key}/labot/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data, follow=True)

    assert first["Location"] == "/pieteikumi/DK-2026-001/"
    assert second.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    # The first response was not followed, so its message is still waiting too.
    assert messages_of(second) == [
        "Pieteikums iesniegts, tā numurs ir DK-2026-001. Apstiprinājumu nosūtījām uz jūsu e-pastu.",
        "Pieteikums jau ir iesniegts; otrreiz tas netika sūtīts.",
    ]
    assert len(mailoutbox) == 1
    assert application.revisions.count() == 1
    grant_round.refresh_from_db()
    assert grant_round.last_number == 1


def test_a_resent_draft_form_after_submission_changes_nothing(
    client, applicant, grant_round, community, group
):
    application = complete_application(round=grant_round, applicant=applicant, community=community)
    application.target_groups.add(group)
    url = f"/pieteikumi/{application.key}/labot/"
    client.post(url, complete_data(community=community, target_groups=[group], action="submit"))

    # The old draft's form (draft key address, old version) sent again with another title.
    client.post(url, complete_data(community=community, target_groups=[group], title="Cits"))

    application.refresh_from_db()
    assert (application.title, application.reference) == (
        "Kopienas dārzs pie skolas",
        "DK-2026-001",
    )


def test_invalid_submission_stays_a_saved_draft_with_latvian_messages(
    client, applicant, grant_round, community
):
    data = form_data(community=community, title="Tikai nosaukums", action="submit")

    response = client.post("/konkursi/dk-2026/pieteikties/", data)

    application = Application.objects.get()
    page = parse(response.content)
    assert (response.status_code, application.status, application.title) == (
        400,
        Application.Status.DRAFT,
        "Tikai nosaukums",
    )
    assert messages_of(response) == [
        "Pieteikums vēl nav iesniegts: izlabojiet atzīmēto. Viss ierakstītais ir saglabāts "
        "melnrakstā."
    ]
    assert page.texts(".error-summary li") == [
        "Kopsavilkums: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Kopienas vajadzības: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Mērķi: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Aktivitātes: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Laika plāns: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Īstenošanas sākums: Norādiet īstenošanas sākuma datumu.",
        "Īstenošanas beigas: Norādiet īstenošanas beigu datumu.",
        "Plānotais dalībnieku skaits: Norādiet plānoto dalībnieku skaitu.",
        "Mērķgrupas: Izvēlieties vismaz vienu mērķgrupu.",
        "Budžets: Pievienojiet vismaz vienu budžeta pozīciju.",
    ]
    # The re-rendered form now saves into the draft it created.
    assert page.select_one("form.application-form").get("action") == (
        f"/pieteikumi/{application.draft_key}/labot/"
    )
    assert page.select_one("input[name=version]").get("value") == "1"


def test_dates_outside_the_implementation_window_are_refused(
    client, applicant, grant_round, community, group
):
    data = complete_data(
        community=community,
        target_groups=[group],
        starts_on="2026-12-31",
        ends_on="2026-12-30",
        action="submit",
    )

    page = parse(client.post("/konkursi/dk-2026/pieteikties/", data).content)

    assert page.texts(".error-summary li") == [
        "Īstenošanas sākums: Īstenošanas sākums nevar būt agrāks par konkursā noteikto: "
        "2027. gada 1. janvāris.",
        "Īstenošanas beigas: Beigu datums nevar būt agrāks par sākuma datumu.",
    ]
    late = complete_data(
        community=community, target_groups=[group], ends_on="2027-07-01", action="submit"
    )
    page = parse(client.post("/konkursi/dk-2026/pieteikties/", late).content)
    assert page.texts(".error-summary li") == [
        "Īstenošanas beigas: Īstenošanas beigas nevar būt vēlākas par konkursā noteiktajām: "
        "2027. gada 30. jūnijs."
    ]


def test_submission_one_second_after_the_deadline_is_refused_and_kept(
    client, applicant, community, group, mailoutbox, monkeypatch
):
    grant_round = GrantRoundFactory(
        slug="tuvu", reference_code="DK-2031", closes_at=timezone.now() + timedelta(minutes=5)
    )
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = complete_data(community=community, target_groups=[group], action="submit", title="Vēlu")
    # The form was opened before the deadline and arrives one second after it.
    late = grant_round.closes_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)

    response = client.post(f"/pieteikumi/{application.key}/labot/", data, follow=True)

    application.refresh_from_db()
    assert response.redirect_chain == [(f"/pieteikumi/{application.draft_key}/labot/", 302)]
    [message] = messages_of(response)
    assert message == (
        f"Pieteikšanās termiņš ({riga_datetime(grant_round.closes_at)}) ir beidzies, tāpēc "
        "pieteikumu vairs nevar iesniegt. Ierakstītais ir saglabāts melnrakstā."
    )
    assert (application.status, application.title, application.reference) == (
        Application.Status.DRAFT,
        "Vēlu",
        None,
    )
    assert mailoutbox == []


def test_submission_at_the_deadline_itself_is_accepted(
    client, applicant, community, group, monkeypatch
):
    grant_round = GrantRoundFactory(
        slug="tiesi", reference_code="DK-2032", closes_at=timezone.now() + timedelta(minutes=5)
    )
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    data = complete_data(community=community, target_groups=[group], action="submit")
    monkeypatch.setattr(timezone, "now", lambda: grant_round.closes_at)

    client.post(f"/pieteikumi/{application.key}/labot/", data)

    application.refresh_from_db()
    assert application.reference == "DK-2032-001"


# --- After submission ------------------------------------------------------------------------


@pytest.fixture
def submitted(client, applicant, grant_round, community, group):
    application = complete_application(round=grant_round, applicant=applicant, community=community)
    application.target_groups.add(group)
    line = application.budget_lines.get()
    client.post(
        f"/pieteikumi/{application.key}/labot/",
        complete_data(
            community=community,
            target_groups=[group],
            action="submit",
            lines=[{"id": line.pk, "item": "Stādi", "quantity": "10", "unit_price": "12,50"}],
        ),
        follow=True,  # and read the success message, so the tests see only their own
    )
    application.refresh_from_db()
    # Saved as a draft (version 2), then submitted (version 3).
    assert (application.reference, application.version) == ("DK-2026-001", 3)
    return application


def test_changing_a_submitted_application_keeps_history(client, submitted, community, group):
    line = submitted.budget_lines.get()
    data = complete_data(
        community=community,
        target_groups=[group],
        title="Labots nosaukums",
        version=submitted.version,
        lines=[{"id": line.pk, "item": "Stādi", "quantity": "20", "unit_price": "12,50"}],
    )

    response = client.post("/pieteikumi/DK-2026-001/labot/", data, follow=True)

    submitted.refresh_from_db()
    assert response.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    assert messages_of(response) == ["Izmaiņas saglabātas."]
    assert (submitted.title, submitted.version, submitted.budget_lines.get().quantity) == (
        "Labots nosaukums",
        4,
        Decimal("20.00"),
    )
    assert list(submitted.revisions.values_list("kind", "version")) == [
        ("submitted", 3),
        ("changed", 4),
    ]
    page = parse(response.content)
    assert [text.split(": ", 1)[1] for text in page.texts("#history li")] == [
        "Iesniegts",
        "Labots pēc iesniegšanas",
    ]


def test_an_invalid_change_of_a_submitted_application_saves_nothing(
    client, submitted, community, group
):
    data = complete_data(
        community=community,
        target_groups=[group],
        title="",
        version=submitted.version,
        lines=[
            {
                "id": submitted.budget_lines.get().pk,
                "item": "Stādi",
                "quantity": "1000",
                "unit_price": "12,50",
            }
        ],
    )

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, submitted.title, submitted.version) == (
        400,
        "Kopienas dārzs pie skolas",
        3,
    )
    assert submitted.budget_lines.get().quantity == Decimal("10.00")
    assert "value" not in page.select_one("input[name=title]").attrs
    assert page.texts(".error-summary li") == [
        "Iniciatīvas nosaukums: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Budžets: Prasītā summa 12 500,00 € pārsniedz lielāko pieļaujamo atbalstu 1 500,00 €.",
    ]


def test_a_stale_change_is_refused_and_shown_again(client, submitted, community, group):
    data = complete_data(community=community, target_groups=[group], title="Vecs logs", version=1)

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, submitted.title) == (400, "Kopienas dārzs pie skolas")
    assert page.select_one("input[name=title]").get("value") == "Vecs logs"
    assert page.select_one("input[name=version]").get("value") == "3"


def test_no_changes_after_the_deadline(client, submitted, community, group, monkeypatch):
    closes_at = timezone.now() + timedelta(minutes=5)
    GrantRound.objects.filter(pk=submitted.round_id).update(closes_at=closes_at)
    monkeypatch.setattr(timezone, "now", lambda: closes_at + timedelta(seconds=1))

    response = client.get("/pieteikumi/DK-2026-001/labot/", follow=True)

    assert response.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    assert messages_of(response) == ["Šo pieteikumu vairs nevar labot."]


def test_withdrawal_asks_first_then_records(client, submitted):
    page = parse(client.get("/pieteikumi/DK-2026-001/atsaukt/").content)
    assert page.select_one("h1").text == "Atsaukt pieteikumu"
    assert page.select_one("form input[name=version]").get("value") == "3"

    response = client.post("/pieteikumi/DK-2026-001/atsaukt/", {"version": 3}, follow=True)

    submitted.refresh_from_db()
    assert response.redirect_chain == [("/pieteikumi/DK-2026-001/", 302)]
    assert messages_of(response) == ["Pieteikums atsaukts."]
    assert (submitted.status, submitted.version) == (Application.Status.WITHDRAWN, 4)
    assert list(submitted.revisions.values_list("kind", flat=True)) == ["submitted", "withdrawn"]
    again = client.post("/pieteikumi/DK-2026-001/atsaukt/", {"version": 3}, follow=True)
    assert messages_of(again) == ["Atsaukt var tikai iesniegtu pieteikumu."]


def test_detail_page_shows_everything(client, submitted):
    page = parse(client.get("/pieteikumi/DK-2026-001/").content)

    assert page.select_one("h1").text == "Kopienas dārzs pie skolas"
    facts = dict(
        zip(page.texts("#application-facts dt"), page.texts("#application-facts dd"), strict=True)
    )
    assert (facts["Numurs"], facts["Statuss"], facts["Kopiena"]) == (
        "DK-2026-001",
        "Iesniegts",
        "Preiļu kopiena",
    )
    assert page.texts("#budget tbody tr") == ["Stādi Materiāli 10 12,50 € 125,00 € 0,00 € 125,00 €"]
    assert page.texts("#budget tfoot tr") == ["Kopā 125,00 € 0,00 € 125,00 €"]
    assert [link.get("href") for link in page.select(".actions a")] == [
        "/pieteikumi/DK-2026-001/labot/",
        "/pieteikumi/DK-2026-001/atsaukt/",
    ]


def test_json_reply_is_json(client, applicant, grant_round, community):
    application = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    response = client.post(
        f"/pieteikumi/{application.key}/labot/", form_data(community=community), HTTP_X_AUTOSAVE="1"
    )
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["version"] == 2


def test_a_refused_change_keeps_the_uploaded_file_and_the_typed_text(
    client, submitted, community, group, private_storage
):
    line = submitted.budget_lines.get()
    data = complete_data(
        community=community,
        target_groups=[group],
        title="Jauns nosaukums",
        version=submitted.version,
        lines=[{"id": line.pk, "item": "Stādi", "quantity": "1000", "unit_price": "12,50"}],
    )
    data["files"] = SimpleUploadedFile("tāme.pdf", PDF_BYTES, "application/pdf")

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    page = parse(response.content)
    assert response.status_code == 400
    # The content stays as submitted; only the file was added, as a revision of its own.
    assert (submitted.title, submitted.version, submitted.budget_lines.get().quantity) == (
        "Kopienas dārzs pie skolas",
        4,
        Decimal("10.00"),
    )
    [attachment] = submitted.attachments.all()
    assert (attachment.original_name, attachment.size) == ("tāme.pdf", len(PDF_BYTES))
    assert private_storage.open(attachment.file.name).read() == PDF_BYTES
    assert list(submitted.revisions.values_list("kind", "version")) == [
        ("submitted", 3),
        ("changed", 4),
    ]
    before, after = (revision.snapshot for revision in submitted.revisions.all())
    assert after == {
        **before,
        "attachments": [{"name": "tāme.pdf", "size": len(PDF_BYTES)}],
    }
    # The form comes back as typed, with the new version and the kept file.
    assert page.select_one("input[name=title]").get("value") == "Jauns nosaukums"
    assert page.select_one("input[name=lines-0-quantity]").get("value") == "1000"
    assert page.select_one("input[name=version]").get("value") == "4"
    assert page.texts("#pielikumi ul.attachments li") == [
        "tāme.pdf (PDF, 142 baiti) Noņemt"  # locale_overrides: Django's plural forms put right
    ]
    assert messages_of(response) == [
        "Izmaiņas nav saglabātas: iesniegtam pieteikumam jāatbilst visām prasībām. Izlabojiet "
        "atzīmēto. Pievienotās datnes ir saglabātas un redzamas pielikumu sarakstā."
    ]
    assert page.texts(".error-summary li") == [
        "Budžets: Prasītā summa 12 500,00 € pārsniedz lielāko pieļaujamo atbalstu 1 500,00 €."
    ]

    # Corrected and sent again from that page, the change goes through with the file.
    data = {key: value for key, value in data.items() if key != "files"}
    data.update({"version": 4, "lines-0-quantity": "20"})
    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    assert response.status_code == 302
    assert (submitted.title, submitted.version) == ("Jauns nosaukums", 5)
    assert [a.original_name for a in submitted.attachments.all()] == ["tāme.pdf"]


def test_a_mistyped_change_keeps_the_uploaded_file(client, submitted, community, group):
    data = complete_data(
        community=community,
        target_groups=[group],
        title="Jauns nosaukums",
        expected_participants="daudz",
        version=submitted.version,
    )
    data["files"] = SimpleUploadedFile("tāme.pdf", PDF_BYTES, "application/pdf")

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, submitted.title, submitted.expected_participants) == (
        400,
        "Kopienas dārzs pie skolas",
        40,
    )
    assert [a.original_name for a in submitted.attachments.all()] == ["tāme.pdf"]
    assert submitted.revisions.last().snapshot["attachments"] == [
        {"name": "tāme.pdf", "size": len(PDF_BYTES)}
    ]
    assert page.select_one("input[name=title]").get("value") == "Jauns nosaukums"
    assert page.select_one("input[name=expected_participants]").get("value") == "daudz"
    assert page.select_one("input[name=version]").get("value") == "4"
    assert messages_of(response) == [
        "Izmaiņas nav saglabātas: izlabojiet atzīmētās kļūdas. Pievienotās datnes ir "
        "saglabātas un redzamas pielikumu sarakstā."
    ]


def test_a_refused_change_without_a_good_file_changes_nothing(
    client, submitted, community, group, private_storage
):
    data = complete_data(
        community=community, target_groups=[group], title="", version=submitted.version
    )
    data["files"] = SimpleUploadedFile("tāme.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    assert (response.status_code, submitted.version, submitted.attachments.count()) == (400, 3, 0)
    assert submitted.revisions.count() == 1
    assert messages_of(response) == [
        "Izmaiņas nav saglabātas: iesniegtam pieteikumam jāatbilst visām prasībām. Izlabojiet "
        "atzīmēto."
    ]
    assert [files for _, _, files in os.walk(private_storage.location) if files] == []


def test_a_refused_change_keeps_its_removals_ticked_and_files_within_the_limit(
    client, submitted, community, group, settings
):
    settings.ATTACHMENT_MAX_FILES = 2
    old = [
        AttachmentFactory(application=submitted, original_name=name)
        for name in ("vecā.pdf", "otrā.pdf")
    ]
    data = complete_data(
        community=community, target_groups=[group], title="", version=submitted.version
    )
    data["remove_attachments"] = [old[0].pk]
    data["files"] = [SimpleUploadedFile("jaunā.pdf", PDF_BYTES, "application/pdf")]

    response = client.post("/pieteikumi/DK-2026-001/labot/", data)

    submitted.refresh_from_db()
    page = parse(response.content)
    # The removal was part of the refused change, so there is no room for the new file.
    assert [a.original_name for a in submitted.attachments.all()] == ["vecā.pdf", "otrā.pdf"]
    assert (submitted.version, submitted.revisions.count()) == (3, 1)
    assert page.texts(".error-summary li") == [
        "Iniciatīvas nosaukums: Aizpildiet šo lauku, lai pieteikumu varētu iesniegt.",
        "Pielikumi: Datne „jaunā.pdf” netika pievienota: pieteikumam var būt ne vairāk kā 2 "
        "pielikumi.",
    ]
    assert ["checked" in box.attrs for box in page.select("input[name=remove_attachments]")] == [
        True,
        False,
    ]


# --- Another application in the same round ---------------------------------------------------


def test_a_new_application_points_to_the_ones_already_in_this_round(
    client, applicant, grant_round, community
):
    draft = ApplicationFactory(
        round=grant_round, applicant=applicant, community=community, title="Senioru deju vakari"
    )
    untitled = ApplicationFactory(
        round=grant_round, applicant=applicant, community=community, title=""
    )
    sent = complete_application(
        round=grant_round,
        applicant=applicant,
        community=community,
        status=Application.Status.SUBMITTED,
        number=1,
        reference="DK-2026-001",
        submitted_at=timezone.now(),
    )
    # Not listed: a withdrawn one, one in another round, and someone else's draft here.
    ApplicationFactory(
        round=grant_round,
        applicant=applicant,
        community=community,
        status=Application.Status.WITHDRAWN,
        number=2,
        reference="DK-2026-002",
    )
    ApplicationFactory(round=GrantRoundFactory(), applicant=applicant, community=community)
    ApplicationFactory(round=grant_round, community=community)

    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    section = page.select_one("section.existing-applications")
    assert section.select_one("h2").text == "Jums šajā konkursā jau ir:"
    assert section.texts("li") == [
        f"melnraksts „Senioru deju vakari” (Preiļu kopiena), saglabāts "
        f"{riga_datetime_in(draft.updated_at)} – Turpināt melnrakstu",
        f"melnraksts bez nosaukuma (Preiļu kopiena), saglabāts "
        f"{riga_datetime_in(untitled.updated_at)} – Turpināt melnrakstu",
        f"pieteikums DK-2026-001 „Kopienas dārzs pie skolas” (Preiļu kopiena), iesniegts "
        f"{riga_datetime_in(sent.submitted_at)} – Skatīt pieteikumu",
    ]
    assert [link.get("href") for link in section.select("li a")] == [
        f"/pieteikumi/{draft.draft_key}/labot/",
        f"/pieteikumi/{untitled.draft_key}/labot/",
        "/pieteikumi/DK-2026-001/",
    ]
    assert section.texts("p") == [
        "Jaunu pieteikumu varat sākt šeit pat: kopiena var pieteikt vairākas idejas."
    ]
    # A new application may still be started.
    assert (
        page.select_one("form.application-form").get("action") == "/konkursi/dk-2026/pieteikties/"
    )


def test_a_first_application_shows_no_list(client, applicant, grant_round):
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)

    assert page.select("section.existing-applications") == []


def test_the_list_is_not_shown_when_resuming_a_draft(client, applicant, grant_round, community):
    draft = ApplicationFactory(round=grant_round, applicant=applicant, community=community)
    ApplicationFactory(round=grant_round, applicant=applicant, community=community)

    page = parse(client.get(f"/pieteikumi/{draft.key}/labot/").content)

    assert page.select("section.existing-applications") == []


@pytest.mark.parametrize("count", [1, 5])
def test_the_apply_page_queries_do_not_grow_with_existing_applications(
    client, applicant, grant_round, community, count, django_assert_num_queries
):
    for number in range(count):
        ApplicationFactory(
            round=grant_round, applicant=applicant, community=community, title=f"Ideja {number}"
        )

    # Round, session, user, verified email, "has a community", this list, the form's choices
    # (communities twice, the target groups once, model elements): within the public pages'
    # ceiling of 10 (DESIGN §8).
    with django_assert_num_queries(10):
        response = client.get("/konkursi/dk-2026/pieteikties/")

    assert len(parse(response.content).select("section.existing-applications li")) == count


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


def new_form_key(client) -> str:
    page = parse(client.get("/konkursi/dk-2026/pieteikties/").content)
    return page.select_one("input[name=draft_key]").get("value")


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
