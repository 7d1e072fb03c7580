"""The final report form: drafts, autosave, bad input, files and photos, conflicts, submission
(issue 12). Every failed save keeps what was typed and says what was not saved."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import FinalReport, Initiative
from initiatives.services import reports
from tests.factories import ModelElementFactory, TargetGroupFactory, fill_report, leader_of
from tests.html import parse

# The autouse fixture "report_storage": the report's files go to a temporary folder.
from tests.initiatives.report_support import (
    fake_pdf,
    form_data,
    jpeg,
    pdf,
    png,
    report_storage_fixture,  # noqa: F401
    stored_files,
    team_initiative,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    initiative, report, leader = team_initiative()
    client.force_login(leader)
    return initiative, report, leader


def url(initiative) -> str:
    return f"/iniciativas/{initiative.slug}/atskaite/"


def field_errors(page, name) -> list[str]:
    """The messages shown at one field of the form."""
    field = page.select_one(f"#id_{name}")
    group = field.parent
    while group is not None and "field" not in group.classes and group.tag != "td":
        group = group.parent
    return group.texts("ul.errorlist li")


def test_a_draft_is_saved_and_the_page_comes_back_with_a_message(client, team):
    initiative, report, _leader = team
    row = report.spending.get()
    element = ModelElementFactory()
    group = TargetGroupFactory()

    response = client.post(
        url(initiative),
        form_data(
            report,
            activities_done="Trīs talkas",
            participants="1 200",
            volunteers="12",
            own_contribution="1 234,50",
            institutions="Preiļu novada dome\npreiļu  novada dome\nAglonas vidusskola\n",
            model_elements=[element.pk],
            spent={row.pk: "999,99"},
            reach={group.pk: "7"},
        ),
        follow=True,
    )

    report.refresh_from_db()
    row.refresh_from_db()
    assert (
        parse(response.content)
        .texts("ul.messages li")[0]
        .startswith("Melnraksts saglabāts plkst. ")
    )
    assert (
        report.activities_done,
        report.participants,
        report.volunteers,
        report.own_contribution,
        row.spent,
        sorted(report.institutions.values_list("name", flat=True)),
        list(report.model_elements.all()),
        list(report.reach.values_list("target_group_id", "count")),
        report.version,
    ) == (
        "Trīs talkas",
        1200,
        12,
        Decimal("1234.50"),
        Decimal("999.99"),
        ["Aglonas vidusskola", "Preiļu novada dome"],
        [element],
        [(group.pk, 7)],
        2,
    )


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("participants", "abc", "Ierakstiet veselu skaitli, piemēram, 25."),
        ("participants", "12,5", "Ierakstiet veselu skaitli, piemēram, 25."),
        ("volunteers", "-5", "Skaits nevar būt negatīvs."),
        ("participants", "1e9", "Ierakstiet veselu skaitli, piemēram, 25."),
        ("participants", "1000000", "Skaits ir neticami liels: ne vairāk kā 100000."),
        ("own_contribution", "abc", "Ierakstiet summu eiro ar komatu, piemēram, 1 234,50."),
        ("own_contribution", "-5", "Summa nevar būt negatīva."),
        ("own_contribution", "1e9", "Summa ir neticami liela: pārbaudiet to."),
        (
            "own_contribution",
            "12,345",
            "Summā var būt ne vairāk kā divi cipari aiz komata (centi).",
        ),
    ],
)
def test_bad_numbers_get_a_latvian_message_and_the_rest_is_saved(
    client, team, name, typed, message
):
    initiative, report, _leader = team

    response = client.post(url(initiative), form_data(report, story="Mūsu stāsts", **{name: typed}))

    page = parse(response.content)
    report.refresh_from_db()
    assert response.status_code == 400
    assert (field_errors(page, name), page.select_one(f"#id_{name}").get("value")) == (
        [message],
        typed,
    )
    assert (report.story, getattr(report, name)) == ("Mūsu stāsts", None)
    assert page.select_one("#id_story").text == "Mūsu stāsts"
    assert page.texts("#kludas li")[0].endswith(message)


def test_a_badly_typed_amount_in_the_table_leaves_the_saved_spending(client, team):
    initiative, report, _leader = team
    row = report.spending.get()
    row.spent = Decimal("10.00")
    row.save()

    response = client.post(url(initiative), form_data(report, spent={row.pk: "1e9"}))

    row.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, row.spent) == (400, Decimal("10.00"))
    assert field_errors(page, f"spent_{row.pk}") == ["Summa ir neticami liela: pārbaudiet to."]
    assert page.select_one(f"#id_spent_{row.pk}").get("value") == "1e9"


def test_spending_above_the_award_is_refused_at_the_table_and_the_amounts_stay_typed(client, team):
    initiative, report, _leader = team
    row = report.spending.get()

    response = client.post(
        url(initiative), form_data(report, results="Sakopts krasts", spent={row.pk: "1 500,00"})
    )

    row.refresh_from_db()
    report.refresh_from_db()
    page = parse(response.content)
    message = (
        "Izlietotais konkursa finansējums kopā (1 500,00 €) pārsniedz piešķirto (1 000,00 €). "
        "Pārbaudiet summas; izdevumu izmaiņas netika saglabātas."
    )
    assert (response.status_code, row.spent, report.results) == (400, None, "Sakopts krasts")
    assert page.texts("#izdevumi ul.errorlist li") == [message]
    assert page.texts("#kludas li") == [f"Izdevumi: {message}"]
    assert page.select_one(f"#id_spent_{row.pk}").get("value") == "1 500,00"


def test_script_tags_are_shown_escaped_and_too_long_text_is_refused(client, team):
    initiative, report, _leader = team

    response = client.post(
        url(initiative),
        form_data(report, story="<script>alert(1)</script>", results="x" * 10_001),
    )

    report.refresh_from_db()
    assert response.status_code == 400
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert (report.story, report.results) == ("<script>alert(1)</script>", "")
    assert field_errors(parse(response.content), "results") == [
        "Teksts ir par garu: atļautas ne vairāk kā 10000 rakstzīmes (tagad 10001)."
    ]


def test_submitting_an_incomplete_report_shows_what_is_missing_and_keeps_it_a_draft(client, team):
    initiative, report, _leader = team

    response = client.post(
        url(initiative), form_data(report, action="submit", activities_done="Talka")
    )

    initiative.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, initiative.status) == (400, Initiative.Status.SUPPORTED)
    assert page.texts("ul.messages li")[0].startswith(
        "Atskaite vēl nav iesniegta: aizpildiet atzīmēto."
    )
    assert field_errors(page, "results") == ["Aizpildiet šo lauku, lai atskaiti varētu iesniegt."]
    assert field_errors(page, "participants") == ["Norādiet, cik dalībnieku kopā bija iesaistīti."]
    assert field_errors(page, "model_elements") == [
        "Atzīmējiet vismaz vienu modeļa elementu, ko īstenojāt."
    ]
    assert page.texts("#izdevumu-kludas li") == [
        "Norādiet izlietoto summu katrai budžeta pozīcijai (arī 0,00): "
        f"{report.spending.get().item}."
    ]
    assert field_errors(page, "own_contribution") == ["Norādiet līdzfinansējumu (arī 0,00)."]
    assert page.select_one("#id_activities_done").text == "Talka"


def test_a_complete_report_is_submitted_then_read_only_and_a_second_click_changes_nothing(
    client, team
):
    initiative, report, leader = team
    fill_report(initiative, actor=leader)
    data = form_data(report, action="submit")

    first = client.post(url(initiative), data, follow=True)
    second = client.post(url(initiative), data, follow=True)

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert parse(first.content).texts("ul.messages li") == [
        "Atskaite iesniegta. Paldies! Koordinators to izskatīs; ja kas jālabo, atskaiti "
        "atgriezīs ar komentāru."
    ]
    page = parse(second.content)
    assert (second.status_code, page.texts("ul.messages li")) == (
        200,
        ["Atskaite jau ir iesniegta; otrreiz tā netika sūtīta."],
    )
    assert page.select("form#report-form") == []
    assert page.texts("#report-institutions li") == ["Aglonas vidusskola", "Preiļu novada dome"]
    assert initiative.history.filter(after={"status": "submitted"}).count() == 1


def test_a_returned_report_shows_the_coordinators_comment_above_the_form(client, team, coordinator):
    initiative, report, leader = team
    fill_report(initiative, actor=leader)
    reports.submit_report(report=report, actor=leader)
    reports.return_report(
        initiative=initiative, actor=coordinator, comment="Pievienojiet čekus par stādiem."
    )

    page = parse(client.get(url(initiative)).content)

    assert (page.texts(".review-comment h2"), page.texts(".review-comment p")) == (
        ["Koordinators atskaiti atgrieza labošanai"],
        ["Pievienojiet čekus par stādiem.", "Izlabojiet atskaiti un iesniedziet to vēlreiz."],
    )
    assert len(page.select("form#report-form")) == 1


def test_two_people_saving_at_once_are_told_and_nothing_is_overwritten(client, team):
    initiative, report, _leader = team
    other = leader_of(initiative.community, first_name="Ilze", last_name="Ozola")
    opened = form_data(report)
    client.force_login(other)
    client.post(url(initiative), {**opened, "story": "Ilzes stāsts"})
    client.force_login(_leader)

    response = client.post(url(initiative), {**opened, "story": "Mans stāsts"})

    report.refresh_from_db()
    page = parse(response.content)
    assert (response.status_code, report.story, report.version) == (409, "Ilzes stāsts", 2)
    message = page.texts("ul.messages li")[-1]
    assert message.startswith("Kamēr jūs rakstījāt, atskaiti saglabāja kāds cits (Ilze Ozola, ")
    assert page.select_one("#id_story").text == "Mans stāsts"
    assert page.texts(".conflict-saved .prose p") == ["Ilzes stāsts"]
    assert page.select_one("input[name=version]").get("value") == "2"


def test_a_form_without_its_version_is_a_conflict_not_an_overwrite(client, team):
    initiative, report, _leader = team
    data = form_data(report, story="Bez versijas")
    del data["version"]

    response = client.post(url(initiative), data)

    report.refresh_from_db()
    assert (response.status_code, report.story) == (409, "")


def test_the_same_save_sent_twice_stores_its_files_once(client, team, report_storage):
    initiative, report, _leader = team
    data = form_data(report)

    first = client.post(url(initiative), {**data, "receipts": [pdf()]})
    second = client.post(url(initiative), {**data, "receipts": [pdf()]})

    assert (first.status_code, second.status_code) == (302, 409)
    assert list(report.receipts.values_list("original_name", flat=True)) == ["čeks.pdf"]
    assert len(stored_files(report_storage)) == 1
    assert (
        parse(second.content)
        .texts("ul.messages li")[-1]
        .startswith(
            "Kamēr jūs rakstījāt, atskaiti saglabāja kāds cits (jūs pats citā logā vai ar "
            "atkārtotu klikšķi, "
        )
    )


def test_receipts_are_checked_by_content_and_good_ones_kept(client, team, settings):
    initiative, report, _leader = team

    response = client.post(
        url(initiative),
        {**form_data(report, story="Stāsts"), "receipts": [fake_pdf(), pdf(), png("čeks.png")]},
    )

    page = parse(response.content)
    assert response.status_code == 400
    assert page.texts("#izdevumu-dokumenti ul.errorlist li") == [
        "Datni „rēķins.pdf” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG attēls."
    ]
    assert page.texts("#izdevumu-dokumenti ul.attachments a") == ["čeks.pdf", "čeks.png"]
    assert sorted(report.receipts.values_list("original_name", flat=True)) == [
        "čeks.pdf",
        "čeks.png",
    ]


def test_an_oversized_receipt_is_refused_with_its_name(client, team, settings):
    initiative, report, _leader = team
    settings.ATTACHMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("liels.pdf", b"%PDF-1.4\n" + b"0" * 200, "application/pdf")

    response = client.post(url(initiative), {**form_data(report), "receipts": [big]})

    assert parse(response.content).texts("#izdevumu-dokumenti ul.errorlist li") == [
        "Datne „liels.pdf” ir par lielu: atļauts ne vairāk kā 100 baiti."
    ]
    assert report.receipts.count() == 0


def test_photos_without_alt_text_or_consent_are_refused_and_the_others_kept(client, team):
    initiative, report, _leader = team
    data = {
        **form_data(report),
        "photo_0_file": jpeg("talka.jpg"),
        "photo_0_alt_text": "Talkas dalībnieki pie ezera",
        "photo_0_caption": "Maija talka",
        "photo_0_consent": "on",
        "photo_1_file": png("soliņi.png"),
        "photo_1_alt_text": "Jaunie soliņi",
        "photo_2_file": jpeg("bez-apraksta.jpg", colour="red"),
        "photo_2_consent": "on",
    }

    response = client.post(url(initiative), data)

    page = parse(response.content)
    assert response.status_code == 400
    assert list(report.photos.values_list("alt_text", "caption", "consent")) == [
        ("Talkas dalībnieki pie ezera", "Maija talka", True)
    ]
    assert field_errors(page, "photo_1_consent") == [
        "Fotoattēls „soliņi.png” netika pievienots: apstipriniet, ka cilvēki tajā piekrīt tā "
        "publicēšanai, un pievienojiet to vēlreiz."
    ]
    assert field_errors(page, "photo_2_alt_text") == [
        "Fotoattēls „bez-apraksta.jpg” netika pievienots: aprakstiet, kas tajā redzams, un "
        "pievienojiet to vēlreiz."
    ]
    # The stored photo's row is emptied; the refused ones keep what was typed.
    assert [page.select_one(f"#id_photo_{index}_alt_text").get("value") for index in range(3)] == [
        None,
        "Jaunie soliņi",
        None,
    ]
    assert page.select("ul.report-photos img")[0].get("alt") == "Talkas dalībnieki pie ezera"


def test_a_photo_that_is_not_an_image_is_refused_with_its_name(client, team):
    initiative, report, _leader = team
    data = {
        **form_data(report),
        "photo_0_file": SimpleUploadedFile("foto.jpg", b"not an image", "image/jpeg"),
        "photo_0_alt_text": "Talka",
        "photo_0_consent": "on",
    }

    response = client.post(url(initiative), data)

    errors = parse(response.content).texts("#fotoatteli > ul.errorlist li")
    assert (response.status_code, report.photos.count(), len(errors)) == (400, 0, 1)
    assert errors[0].startswith("„foto.jpg”: ")


def test_stored_files_can_be_removed(client, team):
    initiative, report, leader = team
    result = reports.save_report(
        report=report,
        actor=leader,
        version=report.version,
        changes=reports.ReportChanges(
            receipts=[pdf()],
            photos=[reports.PhotoUpload(upload=jpeg(), alt_text="Talka", consent=True)],
        ),
    )
    receipt = report.receipts.get()
    photo = report.photos.get()

    response = client.post(
        url(initiative),
        {
            **form_data(result.report),
            "remove_receipts": [str(receipt.pk)],
            "remove_photos": [str(photo.pk)],
        },
    )

    assert (response.status_code, report.receipts.count(), report.photos.count()) == (302, 0, 0)


def test_autosave_answers_json_and_never_touches_files(client, team):
    initiative, report, _leader = team
    data = {**form_data(report, story="Automātiski", participants="abc"), "receipts": [pdf()]}

    response = client.post(url(initiative), data, headers={"X-Autosave": "1"})

    body = response.json()
    report.refresh_from_db()
    assert (response.status_code, body["version"], body["errors"]) == (
        200,
        2,
        {"participants": ["Ierakstiet veselu skaitli, piemēram, 25."]},
    )
    assert body["message"].startswith("Saglabāts plkst. ")
    assert (report.story, report.receipts.count()) == ("Automātiski", 0)


def test_autosave_after_someone_elses_save_is_told_of_the_conflict(client, team):
    initiative, report, _leader = team
    data = form_data(report)
    client.post(url(initiative), {**data, "story": "Pirmais"})

    response = client.post(
        url(initiative), {**data, "story": "Otrais"}, headers={"X-Autosave": "1"}
    )

    report.refresh_from_db()
    assert (response.status_code, response.json()["conflict"], report.story) == (
        409,
        True,
        "Pirmais",
    )


def test_autosave_of_a_submitted_report_is_refused(client, team):
    initiative, report, leader = team
    fill_report(initiative, actor=leader)
    reports.submit_report(report=report, actor=leader)

    response = client.post(url(initiative), form_data(report), headers={"X-Autosave": "1"})

    assert (response.status_code, response.json()) == (
        409,
        {"error": "Atskaite jau ir iesniegta; otrreiz tā netika sūtīta.", "closed": True},
    )


def test_an_own_initiative_has_no_money_part(client):
    from tests.factories import own_initiative

    initiative = own_initiative()
    leader = initiative.recorded_by
    client.force_login(leader)

    page = parse(client.get(url(initiative)).content)

    assert page.select("#izdevumi") == []
    assert page.select("#id_receipts") == []
    assert (
        page.texts(".visibility")
        == [
            "Publiska daļa — būs redzama iniciatīvas lapā pēc publicēšanas.",
        ]
        * 4
    )
    assert FinalReport.objects.filter(initiative=initiative).count() == 1


def test_numbers_past_any_integer_in_hidden_fields_are_ignored_not_a_crash(client, team):
    initiative, report, _leader = team
    huge = "9" * 30

    responses = [
        client.post(
            url(initiative),
            {**form_data(report), "remove_receipts": [huge, "١٢"], "remove_photos": [huge]},
        ).status_code,
        client.post(url(initiative), {**form_data(report), "version": huge}).status_code,
        client.post(
            f"/iniciativas/{initiative.slug}/gaita/", {"action": "done", "milestone": huge}
        ).status_code,
    ]

    assert responses == [302, 409, 404]
