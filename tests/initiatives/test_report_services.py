"""initiatives.services.reports called directly: what a save keeps and refuses, the spending
cap, institutions by name, files and photos one by one, locking, submission (issue 12)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import Initiative, Institution
from initiatives.services import reports
from tests.factories import ModelElementFactory, fill_report, funded_initiative

# The autouse fixture "report_storage": the report's files go to a temporary folder.
from tests.initiatives.report_support import (
    fake_pdf,
    jpeg,
    pdf,
    png,
    report_storage_fixture,  # noqa: F401
    stored_files,
    team_initiative,
)

pytestmark = pytest.mark.django_db


def save(report, actor, **changes):
    report.refresh_from_db()
    return reports.save_report(
        report=report,
        actor=actor,
        version=report.version,
        changes=reports.ReportChanges(**changes),
    )


def test_spending_up_to_the_award_is_kept_and_above_it_refused_as_a_whole():
    _initiative, report, leader = team_initiative(awarded=Decimal("800.00"))
    row = report.spending.get()

    kept = save(report, leader, spending={row.pk: Decimal("800.00")})
    refused = save(report, leader, spending={row.pk: Decimal("800.01")}, fields={"story": "Jā"})

    row.refresh_from_db()
    assert kept.errors == {}
    assert refused.errors == {
        "spending": [
            "Izlietotais konkursa finansējums kopā (800,01\xa0€) pārsniedz piešķirto "
            "(800,00\xa0€). "
            "Pārbaudiet summas; izdevumu izmaiņas netika saglabātas."
        ]
    }
    assert (row.spent, refused.report.story, refused.report.version) == (
        Decimal("800.00"),
        "Jā",
        3,
    )


def test_negative_spending_is_refused_with_a_message_not_a_database_error():
    _initiative, report, leader = team_initiative(awarded=Decimal("800.00"))
    row = report.spending.get()

    refused = save(report, leader, spending={row.pk: Decimal("-5.00")}, fields={"story": "Jā"})

    row.refresh_from_db()
    assert (refused.errors, row.spent, refused.report.story) == (
        {
            "spending": [
                f"Izlietotā summa nevar būt negatīva: {row.item}. Izdevumu izmaiņas netika "
                "saglabātas."
            ]
        },
        None,
        "Jā",
    )


def test_a_line_paid_entirely_by_the_team_plans_nothing_from_the_grant():
    initiative = funded_initiative(awarded=Decimal("100.00"))
    line = initiative.application.budget_lines.get()
    line.own_contribution = line.total + Decimal("50.00")
    line.save()

    report = reports.start_report(initiative=initiative)

    assert list(report.spending.values_list("planned", flat=True)) == [Decimal("0.00")]


def test_institutions_are_counted_once_however_they_are_typed():
    _initiative, report, leader = team_initiative()
    _other_initiative, other_report, other_leader = team_initiative()

    save(
        report,
        leader,
        institutions=["Rēzeknes novada dome", "rēzeknes  NOVADA dome", " ", "Rezeknes novada dome"],
    )
    save(other_report, other_leader, institutions=["REZEKNES novada dome", "Aglonas bazilika"])

    assert list(report.institutions.values_list("name", flat=True)) == ["Rēzeknes novada dome"]
    assert sorted(Institution.objects.values_list("name", flat=True)) == [
        "Aglonas bazilika",
        "Rēzeknes novada dome",
    ]


def test_too_many_institutions_are_refused_and_the_saved_ones_stay():
    _initiative, report, leader = team_initiative()
    save(report, leader, institutions=["Skola"])

    result = save(report, leader, institutions=[f"Iestāde {n}" for n in range(101)])

    assert result.errors == {
        "institutions": [
            "Var norādīt ne vairāk kā 100 iestādes; norādītas 101. Iestāžu saraksta izmaiņas "
            "netika saglabātas."
        ]
    }
    assert list(report.institutions.values_list("name", flat=True)) == ["Skola"]


def test_photos_without_alt_text_or_consent_are_refused_and_the_others_stored(report_storage):
    _initiative, report, leader = team_initiative()

    result = save(
        report,
        leader,
        photos=[
            reports.PhotoUpload(upload=jpeg("a.jpg"), alt_text="Talka", consent=True),
            reports.PhotoUpload(upload=jpeg("b.jpg"), alt_text="  ", consent=True),
            reports.PhotoUpload(upload=png("c.png"), alt_text="Soliņi", consent=False),
            reports.PhotoUpload(
                upload=SimpleUploadedFile("d.jpg", b"nav attels", "image/jpeg"),
                alt_text="Bojāts",
                consent=True,
            ),
        ],
    )

    assert result.errors["photos"][:2] == [
        "Fotoattēls „b.jpg” netika pievienots: aprakstiet, kas tajā redzams (alternatīvais "
        "teksts).",
        "Fotoattēls „c.png” netika pievienots: apstipriniet, ka cilvēki tajā piekrīt tā "
        "publicēšanai.",
    ]
    assert result.errors["photos"][2].startswith("„d.jpg”: ")
    assert list(report.photos.values_list("alt_text", "consent")) == [("Talka", True)]
    # The photo and its thumbnail, re-encoded: nothing of the refused ones.
    assert len(stored_files(report_storage)) == 2


def test_a_fake_pdf_and_an_oversized_receipt_are_refused_and_a_good_one_kept(settings):
    _initiative, report, leader = team_initiative()
    settings.ATTACHMENT_MAX_BYTES = 1500
    big = SimpleUploadedFile("liels.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")

    result = save(report, leader, receipts=[fake_pdf(), big, pdf()])

    assert result.errors == {
        "receipts": [
            "Datni „rēķins.pdf” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG "
            "attēls.",
            "Datne „liels.pdf” ir par lielu: atļauts ne vairāk kā 1,5\xa0KB.",
        ]
    }
    assert list(report.receipts.values_list("original_name", flat=True)) == ["čeks.pdf"]


def test_a_save_from_an_older_version_is_a_conflict_and_changes_nothing(report_storage):
    _initiative, report, leader = team_initiative()
    save(report, leader, fields={"story": "Pirmais"})

    with pytest.raises(reports.VersionConflict):
        reports.save_report(
            report=report,
            actor=leader,
            version=1,
            changes=reports.ReportChanges(fields={"story": "Otrais"}, receipts=[pdf()]),
        )

    report.refresh_from_db()
    assert (report.story, report.version, report.receipts.count()) == ("Pirmais", 2, 0)
    assert stored_files(report_storage) == []


def test_a_submitted_report_is_closed_and_a_second_submit_is_a_no_op():
    initiative, report, leader = team_initiative()
    fill_report(initiative, actor=leader)

    reports.submit_report(report=report, actor=leader)
    again = reports.submit_report(report=report, actor=leader)

    initiative.refresh_from_db()
    assert (initiative.status, again.pk) == (Initiative.Status.SUBMITTED, report.pk)
    assert initiative.history.filter(after={"status": "submitted"}).count() == 1
    with pytest.raises(reports.ReportClosed):
        save(report, leader, fields={"story": "Vēlāk"})


def test_submission_errors_name_every_missing_part():
    initiative, report, leader = team_initiative()
    save(report, leader, fields={"participants": 5, "volunteers": 9})
    report.refresh_from_db()

    errors = reports.submission_errors(report)

    assert errors == {
        "activities_done": ["Aizpildiet šo lauku, lai atskaiti varētu iesniegt."],
        "results": ["Aizpildiet šo lauku, lai atskaiti varētu iesniegt."],
        "story": ["Aizpildiet šo lauku, lai atskaiti varētu iesniegt."],
        "volunteers": ["Brīvprātīgo nevar būt vairāk nekā dalībnieku kopā."],
        "spending": [
            "Norādiet izlietoto summu katrai budžeta pozīcijai (arī 0,00): "
            f"{report.spending.get().item}."
        ],
        "own_contribution": ["Norādiet līdzfinansējumu (arī 0,00)."],
        "model_elements": ["Atzīmējiet vismaz vienu modeļa elementu, ko īstenojāt."],
    }
    with pytest.raises(reports.ReportInvalid) as raised:
        reports.submit_report(report=report, actor=leader)
    assert raised.value.errors == errors
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUPPORTED


def test_a_returned_report_can_be_changed_and_submitted_again(coordinator):
    initiative, report, leader = team_initiative()
    fill_report(initiative, actor=leader, elements=[ModelElementFactory()])
    reports.submit_report(report=report, actor=leader)
    reports.return_report(initiative=initiative, actor=coordinator, comment="Trūkst čeku.")

    result = save(report, leader, receipts=[pdf()])
    reports.submit_report(report=result.report, actor=leader)

    initiative.refresh_from_db()
    report.refresh_from_db()
    assert (initiative.status, report.review_comment, report.receipts.count()) == (
        Initiative.Status.SUBMITTED,
        "Trūkst čeku.",
        1,
    )
