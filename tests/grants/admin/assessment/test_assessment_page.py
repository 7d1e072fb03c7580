"""The admin assess page: the application, its attachments, the conflict step, saving scores."""

from decimal import Decimal

import pytest

from grants.models import Assessment
from tests.factories import staff
from tests.factories.grants import AttachmentFactory
from tests.grants.admin.assessment.helpers import MINE, assess_url, cells, messages_of, scores_data
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db


# --- The assess page ---------------------------------------------------------------------------


def test_assess_page_shows_the_whole_application_and_asks_about_a_conflict_first(
    client, assessor, application
):
    AttachmentFactory(application=application)
    client.force_login(assessor)

    response = client.get(assess_url(application))

    page = parse(response.content)
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    assert (assessment.conflict, assessment.status) == ("", Assessment.Status.DRAFT)
    assert page.texts("h1") == ["Vērtēšana: DK-2025-001"]
    assert definitions(page.select_one("#application-facts"))[:3] == [
        ("Numurs", "DK-2025-001"),
        ("Konkurss", "Mazo iniciatīvu konkurss 2025"),
        ("Kopiena", "Preiļu kopiena"),
    ]
    assert definitions(page.select_one("#application-content"))[:6] == [
        ("Kopsavilkums", "Iekārtosim dārzu, kurā strādās skolēni un seniori."),
        ("Kopienas vajadzības", "Ciematā nav vietas, kur paaudzes satiekas."),
        ("Mērķi", "Satuvināt paaudzes un iesaistīt ģimenes ar bērniem."),
        ("Aktivitātes", "Talkas, stādīšana, rudens svētki."),
        ("Laika plāns", "Janvārī plānošana, pavasarī stādīšana, jūnijā svētki."),
        ("Sadarbības partneri", "Preiļu novada pašvaldība, Preiļu 1. pamatskola."),
    ]
    assert page.texts("#budget tfoot tr") == ["Kopā 1 000,00 € 0,00 € 1 000,00 €"]
    attachment = application.attachments.get()
    assert [a.get("href") for a in page.select("#attachments a")] == [
        f"/pieteikumi/DK-2025-001/pielikumi/{attachment.pk}/"
    ]
    form = page.select_one("#conflict-form")
    assert form.texts("legend") == ["Vai jums ir interešu konflikts ar šo pieteikumu?"]
    assert [(i.get("value"), i.get("id")) for i in form.select("input[type=radio]")] == [
        ("none", "conflict-none"),
        ("declared", "conflict-declared"),
    ]
    assert form.texts("label") == [
        "Nē, interešu konflikta nav",
        "Jā, man ir interešu konflikts",
        "Konflikta apraksts (ja konflikts ir)",
    ]
    assert form.select_one("input[name=version]").get("value") == str(assessment.version)
    assert page.select("#scores-form") == []


def test_assigned_assessor_downloads_the_attachments(client, assessor, application):
    attachment = AttachmentFactory(application=application)
    client.force_login(assessor)

    response = client.get(f"/pieteikumi/DK-2025-001/pielikumi/{attachment.pk}/")

    assert (response.status_code, response["Content-Disposition"]) == (
        200,
        "attachment; filename*=utf-8''t%C4%81me.pdf",
    )


def test_unassigned_assessor_cannot_download_the_attachments(client, application):
    attachment = AttachmentFactory(application=application)
    client.force_login(staff("Vērtētāji", username="neiecelts"))

    response = client.get(f"/pieteikumi/DK-2025-001/pielikumi/{attachment.pk}/")

    assert response.status_code == 404


def test_declare_save_and_submit(client, assessor, application, criteria):
    client.force_login(assessor)
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)

    declared = client.post(
        assess_url(application),
        {"action": "conflict", "conflict": "none", "version": assessment.version},
    )
    assert (declared.status_code, declared["Location"], messages_of(declared)) == (
        302,
        assess_url(application),
        ["Saglabāts"],
    )
    page = parse(client.get(assess_url(application)).content)
    form = page.select_one("#scores-form")
    # The weights too: the assessor sees what each criterion counts for in the total.
    assert form.texts("legend") == [
        "Kritērijs 1 (0–10 punkti, svars 1 jeb 33 % no kopvērtējuma)",
        "Kritērijs 2 (0–5 punkti, svars 2 jeb 67 % no kopvērtējuma)",
    ]
    assert [
        (i.get("name"), i.get("min"), i.get("max")) for i in form.select("input[type=number]")
    ] == [
        (f"points_{criteria[0].pk}", "0", "10"),
        (f"points_{criteria[1].pk}", "0", "5"),
    ]
    assert form.texts("button") == ["Saglabāt melnrakstu", "Iesniegt vērtējumu"]
    version = int(form.select_one("input[name=version]").get("value"))

    saved = client.post(
        assess_url(application),
        scores_data(criteria, version, points=("6", ""), comments=("Labs plāns.", "")),
    )
    assert (saved.status_code, messages_of(saved)) == (302, ["Saglabāts"])
    page = parse(client.get(assess_url(application)).content)
    assert page.select_one(f"#points_{criteria[0].pk}").get("value") == "6"
    assert page.texts(f"#comment_{criteria[0].pk}") == ["Labs plāns."]
    version = int(page.select_one("#scores-form input[name=version]").get("value"))

    submitted = client.post(
        assess_url(application),
        scores_data(
            criteria,
            version,
            action="submit",
            points=("6", "5"),
            comments=("Labs plāns.", "Budžets pamatots."),
        ),
    )

    assert (submitted.status_code, messages_of(submitted)) == (302, ["Vērtējums iesniegts"])
    assessment.refresh_from_db()
    assert (assessment.conflict, assessment.status, assessment.weighted_total) == (
        Assessment.Conflict.NONE,
        Assessment.Status.SUBMITTED,
        Decimal("86.67"),
    )
    assert sorted(assessment.scores.values_list("points", "comment")) == [
        (5, "Budžets pamatots."),
        (6, "Labs plāns."),
    ]
    page = parse(client.get(assess_url(application)).content)
    assert page.select("form#scores-form") == []
    assert cells(page, "#own-scores tbody tr") == [
        ["Kritērijs 1", "6 / 10", "Labs plāns."],
        ["Kritērijs 2", "5 / 5", "Budžets pamatots."],
    ]
    assert page.select_one("#own-submitted").text.endswith("Kopvērtējums: 86,67 no 100.")


def test_declaring_a_conflict_closes_the_assessment(client, assessor, application):
    client.force_login(assessor)
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)

    response = client.post(
        assess_url(application),
        {
            "action": "conflict",
            "conflict": "declared",
            "conflict_reason": "Esmu šīs kopienas valdē.",
            "version": assessment.version,
        },
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.conflict, assessment.conflict_reason) == (
        Assessment.Conflict.DECLARED,
        "Esmu šīs kopienas valdē.",
    )
    page = parse(client.get(assess_url(application)).content)
    assert page.select("#conflict-form") + page.select("#scores-form") == []
    assert definitions(page.select_one("#vertejums dl")) == [
        ("Konflikta apraksts", "Esmu šīs kopienas valdē.")
    ]
    assert page.select(".assessing-others") == []
    assert parse(client.get(MINE).content).texts(".assessing-progress") == [
        "1 no 1 novērtēts · Vērtēšana"
    ]


def test_a_conflict_without_a_reason_is_refused_and_the_answer_kept(client, assessor, application):
    client.force_login(assessor)
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)

    response = client.post(
        assess_url(application),
        {
            "action": "conflict",
            "conflict": "declared",
            "conflict_reason": "  ",
            "version": assessment.version,
        },
    )

    page = parse(response.content)
    assert response.status_code == 400
    assert page.texts("#conflict_reason-error") == ["Īsi aprakstiet interešu konfliktu."]
    assert page.select_one("#conflict_reason").get("aria-describedby") == "conflict_reason-error"
    assert page.texts("#error-summary li") == [
        "Konflikta apraksts: Īsi aprakstiet interešu konfliktu."
    ]
    assert [a.get("href") for a in page.select("#error-summary a")] == ["#conflict_reason"]
    assert page.select_one("#conflict-form").get("action") == "#vertejums"
    assert "checked" in page.select_one("#conflict-declared").attrs
    assert "checked" not in page.select_one("#conflict-none").attrs
    assessment.refresh_from_db()
    assert assessment.conflict == Assessment.Conflict.UNDECLARED


def test_no_answer_to_the_conflict_question_is_shown_at_the_radios(client, assessor, application):
    client.force_login(assessor)
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)

    response = client.post(
        assess_url(application), {"action": "conflict", "version": assessment.version}
    )

    page = parse(response.content)
    assert response.status_code == 400
    assert page.texts("#conflict-error") == ["Norādiet, vai jums ir interešu konflikts."]
    assert [i.get("aria-describedby") for i in page.select("input[type=radio]")] == [
        "conflict-help conflict-error",
        "conflict-help conflict-error",
    ]
