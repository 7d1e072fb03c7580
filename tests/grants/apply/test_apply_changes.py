"""Applying: after submission, changes and their history, refused changes, withdrawal, the page."""

import json
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants.models import Application, GrantRound
from tests.factories.grants import PDF_BYTES, ApplicationFactory, AttachmentFactory
from tests.grants.apply.helpers import messages_of
from tests.grants.helpers import complete_data, form_data
from tests.html import parse

pytestmark = pytest.mark.django_db


# --- After submission ------------------------------------------------------------------------


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
