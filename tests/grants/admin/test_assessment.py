"""The assessor's side of grant-round assessment in the admin (issue 4): "Mani vērtējumi", the
assess page with its conflict-of-interest step and scores, and who reaches what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Membership
from grants.models import Application, Assessment, GrantRound, HistoryEntry, Score
from tests.factories import CommunityFactory, MembershipFactory, staff
from tests.factories.grants import (
    AssessmentFactory,
    AttachmentFactory,
    closed_round,
    submitted_application,
    submitted_assessment,
)
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db

MINE = "/admin/grants/assessment/"
# Fixed ceilings: they depend on the number of rounds, never on applications or assessments.
QUERIES_MINE = 15
QUERIES_ASSESS = 28


def assess_url(application) -> str:
    return f"/admin/grants/assessment/vertet/{application.pk}/"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def cells(page, selector: str) -> list[list[str]]:
    """The text of each cell (th and td, in order) of the table rows `selector` finds."""
    return [
        [cell.text for cell in row.iter() if cell.tag in ("th", "td")]
        for row in page.select(selector)
    ]


@pytest.fixture
def assessor():
    return staff("Vērtētāji", username="vertetaja", first_name="Ilze", last_name="Vērtētāja")


@pytest.fixture
def other_assessor():
    return staff("Vērtētāji", username="cits", first_name="Pēteris", last_name="Otrais")


@pytest.fixture
def coordinator():
    return staff("Koordinatori", username="koordinatore")


@pytest.fixture
def grant_round(assessor, other_assessor):
    # Two criteria: 0–10 points with weight 1 and 0–5 points with weight 2.
    return closed_round(
        criteria=[(10, "1"), (5, "2")],
        assessors=[assessor, other_assessor],
        reference_code="DK-2025",
        title="Mazo iniciatīvu konkurss 2025",
    )


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return submitted_application(
        grant_round,
        title="Kopienas dārzs pie skolas",
        community=CommunityFactory(name="Preiļu kopiena"),
    )


def scores_data(criteria, version, action="save", points=("", ""), comments=("", "")) -> dict:
    data = {"version": version, "action": action}
    for criterion, value, comment in zip(criteria, points, comments, strict=True):
        data[f"points_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = comment
    return data


def declared_none(client, application, assessor) -> Assessment:
    """Open the page and declare no conflict, as the assessor would."""
    client.get(assess_url(application))
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    # Followed, as a browser would: the page shows (and so uses up) the "Saglabāts" message.
    client.post(
        assess_url(application),
        {"action": "conflict", "conflict": "none", "version": assessment.version},
        follow=True,
    )
    assessment.refresh_from_db()
    return assessment


# --- "Mani vērtējumi" --------------------------------------------------------------------------


def test_progress_page_shows_each_application_with_the_assessors_own_state(
    client, assessor, other_assessor, grant_round
):
    not_started = submitted_application(grant_round, title="Sporta laukums")
    draft = submitted_application(grant_round, title="Bērnu rīts")
    submitted = submitted_application(grant_round, title="Senioru klubs")
    declared = submitted_application(grant_round, title="Kino vakari")
    member_community = CommunityFactory(name="Aglonas kopiena")
    MembershipFactory(
        user=assessor,
        community=member_community,
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )
    found = submitted_application(grant_round, title="Dziesmu svētki", community=member_community)
    AssessmentFactory(application=draft, assessor=assessor, conflict=Assessment.Conflict.NONE)
    submitted_assessment(submitted, assessor, [6, 5])  # (0,6·1 + 1·2) / 3 = 86,67
    AssessmentFactory(
        application=declared,
        assessor=assessor,
        conflict=Assessment.Conflict.DECLARED,
        conflict_reason="Pieteicējs ir mans brālis.",
    )
    # Someone else's submission changes nothing of this assessor's states.
    submitted_assessment(not_started, other_assessor, [10, 5])
    client.force_login(assessor)

    response = client.get(MINE)

    page = parse(response.content)
    assert response.status_code == 200
    assert page.texts("h1") == ["Mani vērtējumi"]
    assert page.texts(".assessing-round h2") == ["Mazo iniciatīvu konkurss 2025"]
    assert page.texts(".assessing-progress") == ["3 no 5 novērtēti · Vērtēšana"]
    rows = cells(page, ".assessing-table tbody tr")
    community = not_started.community.name
    assert rows == [
        ["DK-2025-001", "Sporta laukums", community, "Nav sākts"],
        ["DK-2025-002", "Bērnu rīts", draft.community.name, "Melnraksts"],
        ["DK-2025-003", "Senioru klubs", submitted.community.name, "Iesniegts (86,67)"],
        ["DK-2025-004", "Kino vakari", declared.community.name, "Interešu konflikts"],
        ["DK-2025-005", "Dziesmu svētki", "Aglonas kopiena", "Interešu konflikts"],
    ]
    links = [a.get("href") for a in page.select(".assessing-table tbody th a")]
    assert links == [assess_url(app) for app in (not_started, draft, submitted, declared, found)]


def test_progress_counts_one_assessed_in_the_singular(client, assessor, grant_round):
    submitted_assessment(submitted_application(grant_round), assessor, [1, 1])
    client.force_login(assessor)

    page = parse(client.get(MINE).content)

    assert page.texts(".assessing-progress") == ["1 no 1 novērtēts · Vērtēšana"]


def test_before_the_deadline_and_in_unassigned_rounds_assessors_see_nothing(client, assessor):
    now = timezone.now()
    still_open = closed_round(assessors=[assessor], status=GrantRound.Status.OPEN)
    still_open.closes_at = now + timedelta(days=3)
    still_open.save()
    submitted_application(still_open, title="Vēl pieņem pieteikumus")
    unassigned = closed_round()
    submitted_application(unassigned, title="Cits konkurss")
    client.force_login(assessor)

    response = client.get(MINE)

    page = parse(response.content)
    assert response.status_code == 200
    assert page.select(".assessing-round") == []
    assert page.texts(".assessing-empty") == [
        "Jums pašlaik nav vērtējamu pieteikumu. Šeit redzami konkursi, kuru vērtēšana jums "
        "uzticēta, tiklīdz pieteikšanās tajos ir beigusies."
    ]
    assert "Vēl pieņem pieteikumus" not in response.content.decode()


def test_progress_page_queries_do_not_grow_with_the_applications(client, assessor, grant_round):
    client.force_login(assessor)
    first = submitted_application(grant_round)
    submitted_assessment(first, assessor, [3, 3])
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for number in range(29):
        application = submitted_application(grant_round)
        if number % 3 == 0:
            submitted_assessment(application, assessor, [3, 3])
    with CaptureQueriesContext(connection) as thirty:
        page = parse(client.get(MINE).content)

    assert len(page.select(".assessing-table tbody tr")) == 30
    assert page.texts(".assessing-progress") == ["11 no 30 novērtēti · Vērtēšana"]
    assert (len(one), len(thirty)) == (QUERIES_MINE, QUERIES_MINE)


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


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("11", "Punktiem jābūt no 0 līdz 10."),
        ("-1", "Punktiem jābūt no 0 līdz 10."),
        ("abc", "Ievadiet veselu skaitli."),
        ("1.5", "Ievadiet veselu skaitli."),
    ],
)
def test_invalid_points_are_refused_at_their_field_and_everything_typed_kept(
    client, assessor, application, criteria, typed, message
):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    response = client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            points=(typed, "4"),
            comments=("Mans komentārs ar ā un ž.", "Otrs komentārs."),
        ),
    )

    page = parse(response.content)
    first, second = criteria
    assert response.status_code == 400
    assert page.texts(f"#points_{first.pk}-error") == [message]
    assert page.select_one(f"#points_{first.pk}").get("aria-describedby") == (
        f"points_{first.pk}-error"
    )
    assert page.select_one(f"#points_{first.pk}").get("aria-invalid") == "true"
    assert page.select_one(f"#points_{first.pk}").get("value") == typed
    assert page.select_one(f"#points_{second.pk}").get("value") == "4"
    assert page.texts(f"#comment_{first.pk}") == ["Mans komentārs ar ā un ž."]
    assert page.texts(f"#comment_{second.pk}") == ["Otrs komentārs."]
    assert page.select(f"#points_{second.pk}-error") == []
    # The summary at the top of "Jūsu vērtējums" links to the field; the form lands there.
    assert page.texts("#error-summary li") == [f"Kritērijs 1, punkti: {message}"]
    assert [a.get("href") for a in page.select("#error-summary a")] == [f"#points_{first.pk}"]
    assert page.select_one("#scores-form").get("action") == "#vertejums"
    assert page.texts(".messagelist li") == ["Nav saglabāts: izlabojiet atzīmētās kļūdas."]
    assert Score.objects.filter(assessment=assessment).count() == 0
    assert Assessment.objects.get(pk=assessment.pk).version == assessment.version


def test_submitting_without_a_required_comment_is_refused(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    response = client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("7", "3"),
            comments=("Pamatojums.", ""),
        ),
    )

    page = parse(response.content)
    second = criteria[1]
    assert response.status_code == 400
    assert page.texts(f"#comment_{second.pk}-error") == ["Pamatojiet vērtējumu komentārā."]
    assert page.select_one(f"#comment_{second.pk}").get("aria-describedby") == (
        f"comment_{second.pk}-error"
    )
    assert page.texts(".messagelist li") == [
        "Vērtējums nav iesniegts: izlabojiet atzīmētās kļūdas."
    ]
    assert [i.get("value") for i in page.select("input[type=number]")] == ["7", "3"]
    assessment.refresh_from_db()
    assert (assessment.status, assessment.weighted_total) == (Assessment.Status.DRAFT, None)


def test_a_script_in_a_comment_is_shown_as_text(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    script = "<script>alert('x')</script>"
    client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("1", "1"), comments=(script, "Labi.")),
    )

    draft = client.get(assess_url(application)).content.decode()
    assessment.refresh_from_db()
    client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("1", "1"),
            comments=(script, "Labi."),
        ),
    )
    submitted = client.get(assess_url(application))

    for content in (draft, submitted.content.decode()):
        assert script not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert cells(parse(submitted.content), "#own-scores tbody tr")[0] == [
        "Kritērijs 1",
        "1 / 10",
        script,
    ]


def test_a_stale_form_is_refused_and_overwrites_nothing(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    # The same form open in two tabs: both carry this version.
    version = assessment.version
    client.post(
        assess_url(application),
        scores_data(criteria, version, points=("8", "4"), comments=("Pirmā cilne.", "")),
        follow=True,
    )

    response = client.post(
        assess_url(application),
        scores_data(criteria, version, points=("2", "1"), comments=("Otrā cilne.", "")),
    )

    page = parse(response.content)
    first = criteria[0]
    assert response.status_code == 409
    assert page.texts(".messagelist li") == [
        "Šis vērtējums ir mainīts citā logā vai cilnē. Zemāk redzamas saglabātās vērtības; "
        "pārbaudiet un saglabājiet vēlreiz."
    ]
    assert [i.get("value") for i in page.select("input[type=number]")] == ["8", "4"]
    assert page.texts(f"#comment_{first.pk}") == ["Pirmā cilne."]
    assert page.select_one("#scores-form input[name=version]").get("value") == str(version + 1)
    assert sorted(Score.objects.values_list("points", "comment")) == [
        (4, ""),
        (8, "Pirmā cilne."),
    ]


def test_a_second_submit_of_the_same_form_is_refused(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    data = scores_data(
        criteria,
        assessment.version,
        action="submit",
        points=("10", "5"),
        comments=("Izcili.", "Izcili."),
    )

    first = client.post(assess_url(application), data, follow=True)
    second = client.post(assess_url(application), data)

    assert (first.redirect_chain, parse(first.content).texts(".messagelist li")) == (
        [(assess_url(application), 302)],
        ["Vērtējums iesniegts"],
    )
    assert (second.status_code, second["Location"], messages_of(second)) == (
        302,
        assess_url(application),
        ["Vērtējums jau ir iesniegts, un to vairs nevar mainīt."],
    )
    assert (
        HistoryEntry.objects.filter(
            assessment=assessment, action=HistoryEntry.Action.SUBMITTED
        ).count()
        == 1
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.weighted_total) == (
        Assessment.Status.SUBMITTED,
        Decimal("100.00"),
    )


def test_other_assessors_scores_appear_only_after_the_own_submission(
    client, assessor, other_assessor, application, criteria
):
    submitted_assessment(application, other_assessor, [4, 1], comment="Vāji pamatots budžets.")
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)

    before = client.get(assess_url(application))

    assert "Vāji pamatots budžets." not in before.content.decode()
    assert "Pēteris Otrais" not in before.content.decode()
    assert parse(before.content).select("#figures") == []

    client.post(
        assess_url(application),
        scores_data(
            criteria,
            assessment.version,
            action="submit",
            points=("6", "5"),
            comments=("Labi.", "Labi."),
        ),
    )
    after = parse(client.get(assess_url(application)).content)

    # Totals: 86,67 (own) and (0,4·1 + 0,2·2) / 3 = 26,67; spread 60 > 25.
    assert definitions(after.select_one("#figures")) == [
        ("Iesniegti vērtējumi", "2"),
        ("Vidējais", "56,67"),
        ("Mediāna", "56,67"),
        ("Izkliede (augstākais − zemākais)", "60,00"),
        ("Vērtētāju nesaskaņa", "Jā: vērtējumi atšķiras vairāk par 25 punktiem"),
        ("Izslēgti interešu konflikta dēļ", "0"),
        ("Vēl nav novērtējuši", "0"),
    ]
    assert after.texts(".other-assessment caption") == ["Pēteris Otrais: 26,67 no 100"]
    assert cells(after, ".other-assessment tbody tr") == [
        ["Kritērijs 1", "4 / 10", "Vāji pamatots budžets."],
        ["Kritērijs 2", "1 / 5", "Vāji pamatots budžets."],
    ]


def test_a_conflict_found_by_the_platform_excludes_the_assessment(
    client, assessor, application, criteria
):
    MembershipFactory(
        user=assessor,
        community=application.community,
        role=Membership.Role.ACTIVIST,
        status=Membership.Status.ACTIVE,
    )
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    refused = client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("5", "5")),
    )

    assert assessment.auto_conflict == Assessment.AutoConflict.MEMBER
    assert page.texts("#auto-conflict") == [
        "Platforma konstatēja interešu konfliktu: Vērtētājs ir pieteicējas kopienas "
        "dalībnieks. Tāpēc šo pieteikumu jūs nevērtējat, un šis vērtējums netiek ņemts vērā "
        "pieteikuma rezultātā."
    ]
    assert page.select("#conflict-form") + page.select("#scores-form") == []
    assert (refused.status_code, messages_of(refused)) == (
        302,
        [
            "Platforma konstatēja interešu konfliktu (Vērtētājs ir pieteicējas kopienas "
            "dalībnieks), tāpēc šo pieteikumu jūs nevērtējat."
        ],
    )
    assert Score.objects.count() == 0


def test_after_assessment_closes_the_page_is_read_only(
    client, assessor, other_assessor, application
):
    submitted_assessment(application, assessor, [6, 5], comment="Pārliecinoši.")
    submitted_assessment(application, other_assessor, [10, 5])
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)

    assert page.select("#scores-form") + page.select("#conflict-form") == []
    assert cells(page, "#own-scores tbody tr") == [
        ["Kritērijs 1", "6 / 10", "Pārliecinoši."],
        ["Kritērijs 2", "5 / 5", "Pārliecinoši."],
    ]
    assert page.texts(".other-assessment caption") == ["Pēteris Otrais: 100,00 no 100"]


def test_an_unopened_application_of_a_closed_assessment_is_shown_without_a_form(
    client, assessor, application
):
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()
    client.force_login(assessor)

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūs šo pieteikumu nevērtējāt."
    ]
    assert Assessment.objects.count() == 0


def test_an_opened_but_never_saved_assessment_of_a_closed_round_shows_no_empty_table(
    client, assessor, application
):
    client.force_login(assessor)
    client.get(assess_url(application))
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūs šo pieteikumu nevērtējāt."
    ]
    assert page.select("#own-scores") == []
    assert Assessment.objects.filter(assessor=assessor).count() == 1


def test_a_saved_draft_of_a_closed_round_is_shown_as_saved(client, assessor, application, criteria):
    client.force_login(assessor)
    assessment = declared_none(client, application, assessor)
    client.post(
        assess_url(application),
        scores_data(criteria, assessment.version, points=("6", ""), comments=("Labi.", "")),
    )
    application.round.status = GrantRound.Status.DECISIONS
    application.round.save()

    page = parse(client.get(assess_url(application)).content)

    assert page.texts("#assessment-closed") == [
        "Konkursa vērtēšana ir slēgta; jūsu vērtējums netika iesniegts. Zemāk redzams saglabātais."
    ]
    assert cells(page, "#own-scores tbody tr") == [
        ["Kritērijs 1", "6 / 10", "Labi."],
        ["Kritērijs 2", "–", ""],
    ]


def test_assess_page_queries_do_not_grow_with_other_assessments(
    client, assessor, grant_round, application, criteria
):
    others = [staff("Vērtētāji") for _ in range(4)]
    grant_round.assessors.add(*others)
    submitted_assessment(application, others[0], [5, 5])
    submitted_assessment(application, assessor, [6, 5])
    client.force_login(assessor)
    client.get(assess_url(application))
    with CaptureQueriesContext(connection) as one_other:
        client.get(assess_url(application))
    for other in others[1:]:
        submitted_assessment(application, other, [3, 2])
    with CaptureQueriesContext(connection) as four_others:
        page = parse(client.get(assess_url(application)).content)

    assert len(page.select(".other-assessment")) == 4
    assert (len(one_other), len(four_others)) == (QUERIES_ASSESS, QUERIES_ASSESS)


# --- Who reaches what --------------------------------------------------------------------------


def test_an_unassigned_rounds_application_is_not_found(client, assessor):
    elsewhere = submitted_application(closed_round(criteria=[(10, "1")]))
    client.force_login(assessor)

    response = client.get(assess_url(elsewhere))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("status", [Application.Status.DRAFT, Application.Status.WITHDRAWN])
def test_an_application_outside_the_competition_is_not_found(client, assessor, application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    client.force_login(assessor)

    response = client.get(assess_url(application))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


def test_before_the_deadline_an_assigned_application_is_not_found(client, assessor):
    still_open = closed_round(assessors=[assessor], status=GrantRound.Status.OPEN)
    still_open.closes_at = timezone.now() + timedelta(days=3)
    still_open.save()
    application = submitted_application(still_open)
    client.force_login(assessor)

    response = client.get(assess_url(application))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


def test_another_assessors_assessment_is_not_found_in_the_standard_views(
    client, assessor, other_assessor, application
):
    theirs = submitted_assessment(application, other_assessor, [5, 5], comment="Slepens.")
    own = AssessmentFactory(application=application, assessor=assessor)
    client.force_login(assessor)

    answers = [
        client.get(f"{MINE}{theirs.pk}/change/").status_code,
        client.get(f"{MINE}{theirs.pk}/history/").status_code,
        client.get(f"{MINE}{theirs.pk}/delete/").status_code,
        client.get(f"{MINE}{own.pk}/change/").status_code,
        client.post(f"{MINE}{theirs.pk}/change/", {}).status_code,
        client.get(f"{MINE}add/").status_code,
    ]

    assert answers == [404, 404, 404, 404, 404, 403]


def test_centre_managers_are_forbidden_everywhere_here(client, assessor, application):
    manager = staff("Centru vadītāji", username="vaditaja")
    assessment = submitted_assessment(application, assessor, [5, 5])
    client.force_login(manager)

    answers = [
        client.get(MINE).status_code,
        client.get(assess_url(application)).status_code,
        client.get(f"{MINE}{assessment.pk}/change/").status_code,
        client.get(f"{MINE}{assessment.pk}/history/").status_code,
    ]

    assert answers == [403, 403, 403, 403]


def test_coordinators_read_every_assessment(
    client, coordinator, assessor, other_assessor, application
):
    mine = submitted_assessment(application, assessor, [6, 5], comment="Labi.")
    submitted_assessment(application, other_assessor, [10, 5])
    client.force_login(coordinator)

    listing = parse(client.get(MINE).content)
    change = client.get(f"{MINE}{mine.pk}/change/")
    assess = client.get(assess_url(application))

    rows = cells(listing, "#result_list tbody tr")
    assert sorted(rows) == [
        ["DK-2025-001", "cits", "Interešu konflikta nav", "Iesniegts", "100,00", rows[0][5]],
        ["DK-2025-001", "vertetaja", "Interešu konflikta nav", "Iesniegts", "86,67", rows[1][5]],
    ]
    assert change.status_code == 200
    change_page = parse(change.content)
    assert change_page.select("input[type=submit]") == []
    assert change_page.texts(".field-weighted_total .readonly") == ["86,67"]
    assert change_page.texts("td.field-comment") == ["Labi.", "Labi."]
    # Not assigned to the round: the assess page is for its assessors.
    assert assess.status_code == 404
