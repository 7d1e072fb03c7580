"""Every bad input of issue 3: each field too long, wrong types, markup, numbers out of range,
budgets over the maximum, files that are not what they say, too big or too many."""

import io
import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grants.forms import MAX_PARTICIPANTS
from grants.models import Application
from tests.factories import CommunityFactory, TargetGroupFactory
from tests.factories.grants import (
    PDF_BYTES,
    ApplicationFactory,
    AttachmentFactory,
    GrantRoundFactory,
    activist,
)
from tests.grants.helpers import complete_data, form_data
from tests.html import parse

pytestmark = pytest.mark.django_db

LIMITS = {
    "title": 200,
    "summary": 1500,
    "needs": 4000,
    "goals": 4000,
    "activities": 6000,
    "timeline": 4000,
    "partners": 4000,
}


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def draft(client, community):
    user = activist(community)
    client.force_login(user)
    return ApplicationFactory(
        round=GrantRoundFactory(reference_code="DK-2026", max_grant=Decimal("1500.00")),
        applicant=user,
        community=community,
        title="Saglabātais nosaukums",
    )


def edit_url(application) -> str:
    return f"/pieteikumi/{application.key}/labot/"


def stored_files(storage) -> list[str]:
    return [name for _, _, names in os.walk(storage.location) for name in names]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "limit"), LIMITS.items())
def test_each_text_field_too_long_is_kept_with_an_error(client, draft, community, name, limit):
    data = form_data(community=community, **{name: "ā" * (limit + 1), "partners": "Skola"})
    if name == "partners":
        data["partners"] = "ā" * (limit + 1)

    response = client.post(edit_url(draft), data)

    page = parse(response.content)
    field = page.select_one(f"[name={name}]")
    typed = field.get("value") if field.tag == "input" else field.text
    draft.refresh_from_db()
    assert response.status_code == 400
    assert typed == "ā" * (limit + 1)
    assert page.select_one(f"#id_{name}_error").text == (
        f"Teksts ir par garu: atļautas ne vairāk kā {limit} rakstzīmes (tagad {limit + 1})."
    )
    # Everything else is kept, the overlong field keeps its saved value.
    assert getattr(draft, name) == ("Saglabātais nosaukums" if name == "title" else "")
    if name != "partners":
        assert draft.partners == "Skola"


def test_wrong_types_keep_what_was_typed(client, draft, community):
    data = form_data(
        community=community,
        title="Jauns",
        starts_on="31.02.2027",
        ends_on="rīt",
        expected_participants="četrdesmit",
        lines=[{"item": "Galds", "quantity": "divi", "unit_price": "12,5x"}],
    )

    response = client.post(edit_url(draft), data)

    page = parse(response.content)
    draft.refresh_from_db()
    assert response.status_code == 400
    assert (draft.title, draft.starts_on, draft.expected_participants) == ("Jauns", None, None)
    assert draft.budget_lines.count() == 0
    assert [
        page.select_one(f"input[name={name}]").get("value")
        for name in (
            "starts_on",
            "ends_on",
            "expected_participants",
            "lines-0-quantity",
            "lines-0-unit_price",
        )
    ] == ["31.02.2027", "rīt", "četrdesmit", "divi", "12,5x"]
    assert page.select_one("#id_starts_on_error").text == "Jāievada derīgs datums."
    assert page.select_one("#id_expected_participants_error").text == "Jāievada vesels skaitlis."


def test_script_tags_are_stored_as_typed_and_shown_escaped(client, draft, community):
    script = '<script>alert("x")</script>'
    client.post(edit_url(draft), form_data(community=community, title=script, summary=script))

    draft.refresh_from_db()
    form_page = client.get(edit_url(draft)).content.decode()
    detail_page = client.get(draft.get_absolute_url()).content.decode()
    assert draft.title == script
    assert script not in form_page
    assert script not in detail_page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail_page
    assert parse(detail_page).select_one("h1").text == script


@pytest.mark.parametrize(
    ("cell", "value", "error"),
    [
        ("quantity", "-1", "Vērtībai jābūt lielākai par 0 vai vienādai ar to."),
        ("unit_price", "-0,01", "Vērtībai jābūt lielākai par 0 vai vienādai ar to."),
        ("own_contribution", "-5", "Vērtībai jābūt lielākai par 0 vai vienādai ar to."),
        ("unit_price", "99999999999", "Pārliecinieties, ka kopā nav vairāk par 10 cipariem."),
        ("quantity", "1,001", "Pārliecinieties, ka aiz komata nav vairāk par 2 cipariem."),
    ],
)
def test_negative_and_huge_amounts_are_refused(client, draft, community, cell, value, error):
    line = {"item": "Galds", "quantity": "1", "unit_price": "10", **{cell: value}}

    response = client.post(edit_url(draft), form_data(community=community, lines=[line]))

    page = parse(response.content)
    assert response.status_code == 400
    assert page.select_one(f"input[name=lines-0-{cell}]").get("value") == value
    assert page.texts("#budget-lines tr.budget-line ul.errorlist li") == [error]
    assert draft.budget_lines.count() == 0


@pytest.mark.parametrize("value", ["-3", "100001", "99999999999999999999"])
def test_participants_out_of_range(client, draft, community, value):
    response = client.post(
        edit_url(draft), form_data(community=community, expected_participants=value)
    )

    page = parse(response.content)
    expected = (
        "Dalībnieku skaitam jābūt vismaz 1."
        if value == "-3"
        else f"Dalībnieku skaitam jābūt ne lielākam par {MAX_PARTICIPANTS}."
    )
    assert page.select_one("#id_expected_participants_error").text == expected


def test_budget_over_the_maximum_grant_is_not_submitted(client, draft, community):
    group = TargetGroupFactory()
    data = complete_data(
        community=community,
        target_groups=[group],
        action="submit",
        lines=[
            {"item": "Nojume", "quantity": "1", "unit_price": "1600", "own_contribution": "99,99"}
        ],
    )

    response = client.post(edit_url(draft), data)

    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (400, Application.Status.DRAFT)
    assert parse(response.content).texts(".error-summary li") == [
        "Budžets: Prasītā summa 1 500,01 € pārsniedz lielāko pieļaujamo atbalstu 1 500,00 €."
    ]


def test_own_contribution_over_the_line_total_and_zero_request(client, draft, community):
    data = complete_data(
        community=community,
        target_groups=[TargetGroupFactory()],
        action="submit",
        lines=[{"item": "Telts", "quantity": "1", "unit_price": "100", "own_contribution": "150"}],
    )

    page = parse(client.post(edit_url(draft), data).content)

    assert page.texts(".error-summary li") == [
        "Budžets: 1. pozīcijas līdzfinansējums nevar pārsniegt tās kopsummu 100,00 €.",
        "Budžets: Prasītajai summai jābūt lielākai par 0 €.",
    ]


def upload(client, application, community, *files, **extra):
    return client.post(
        edit_url(application), {**form_data(community=community, **extra), "files": list(files)}
    )


def test_renamed_executable_is_refused_by_name(client, draft, community, private_storage):
    program = SimpleUploadedFile("tāme.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")

    response = upload(client, draft, community, program, title="Ar pielikumu")

    draft.refresh_from_db()
    assert response.status_code == 400
    assert parse(response.content).texts("#pielikumi ul.errorlist li") == [
        "Datni „tāme.pdf” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG attēls."
    ]
    assert (draft.attachments.count(), draft.title) == (0, "Ar pielikumu")
    assert stored_files(private_storage) == []


def test_pdf_header_glued_onto_something_else_is_refused(client, draft, community):
    fake = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"MZ" * 500, "application/pdf")

    response = upload(client, draft, community, fake)

    assert parse(response.content).texts("#pielikumi ul.errorlist li") == [
        "Datni „a.pdf” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG attēls."
    ]


def test_valid_files_are_kept_even_when_other_fields_fail(
    client, draft, community, private_storage
):
    files = [
        SimpleUploadedFile("../../tāme.pdf", PDF_BYTES, "application/octet-stream"),
        SimpleUploadedFile("foto.png", png_bytes(), "image/png"),
        SimpleUploadedFile("bilde.jpg", jpeg_bytes(), "image/jpeg"),
    ]

    response = upload(client, draft, community, *files, expected_participants="x")

    assert response.status_code == 400
    stored = list(draft.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("tāme.pdf", "application/pdf"),
        ("foto.png", "image/png"),
        ("bilde.jpg", "image/jpeg"),
    ]
    assert [a.size for a in stored] == [private_storage.size(a.file.name) for a in stored]
    for attachment in stored:
        # A random name in the private storage, never the uploader's.
        assert attachment.file.name.startswith("attachments/")
        assert "tāme" not in attachment.file.name and "foto" not in attachment.file.name
        assert private_storage.exists(attachment.file.name)
    assert parse(response.content).texts("#pielikumi ul.attachments a") == [
        "tāme.pdf",
        "foto.png",
        "bilde.jpg",
    ]


def test_oversized_file_is_refused(client, draft, community, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = PDF_BYTES.replace(b"trailer", b"%" + b"0" * 1024 * 1024 + b"\ntrailer")

    response = upload(
        client, draft, community, SimpleUploadedFile("liels.pdf", big, "application/pdf")
    )

    assert parse(response.content).texts("#pielikumi ul.errorlist li") == [
        "Datne „liels.pdf” ir par lielu: atļauts ne vairāk kā 1,0 MB."
    ]
    assert draft.attachments.count() == 0


def test_eleventh_file_is_refused(client, draft, community):
    AttachmentFactory.create_batch(9, application=draft)
    files = [
        SimpleUploadedFile("desmitais.pdf", PDF_BYTES, "application/pdf"),
        SimpleUploadedFile("vienpadsmitais.pdf", PDF_BYTES, "application/pdf"),
    ]

    response = upload(client, draft, community, *files)

    assert draft.attachments.count() == 10
    assert parse(response.content).texts("#pielikumi ul.errorlist li") == [
        "Datne „vienpadsmitais.pdf” netika pievienota: pieteikumam var būt ne vairāk kā 10 "
        "pielikumi."
    ]


def test_photo_location_is_removed_from_images(client, draft, community, private_storage):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (56.0, 17.0, 30.0)}  # GPSInfo: where the phone was
    exif[0x010F] = "Tālrunis"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "JPEG", exif=exif)
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert dict(original.getexif()) != {}

    upload(client, draft, community, SimpleUploadedFile("dārzs.jpg", buffer.getvalue()))

    attachment = draft.attachments.get()
    with private_storage.open(attachment.file.name) as stored, Image.open(stored) as image:
        assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (8, 6), {})


def test_truncated_image_is_refused(client, draft, community):
    broken = SimpleUploadedFile("pusē.png", png_bytes()[:40], "image/png")

    response = upload(client, draft, community, broken)

    assert parse(response.content).texts("#pielikumi ul.errorlist li") == [
        "Datni „pusē.png” nevar pievienot: pēc satura tā nav PDF dokuments, JPEG vai PNG attēls."
    ]
    assert draft.attachments.count() == 0
