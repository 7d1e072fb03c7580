"""Who reaches the team's pages of an initiative and what they see: the report (form or
read-only), progress and milestones, receipts, recording a community's own initiative, and
the person's list on /mans/ (issue 12)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import FinalReport, Initiative, Milestone
from initiatives.services import reports
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    ModelElementFactory,
    TargetGroupFactory,
    fill_report,
    leader_of,
    own_initiative,
    verified_user,
)
from tests.html import parse

# The autouse fixture "report_storage": the report's files go to a temporary folder.
from tests.initiatives.report_support import (
    PDF_BYTES,
    form_data,
    jpeg,
    pdf,
    report_storage_fixture,  # noqa: F401
    team_initiative,
)

pytestmark = pytest.mark.django_db


def url(initiative, tail="atskaite/") -> str:
    return f"/iniciativas/{initiative.slug}/{tail}"


# --- Who may open the report ------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in_and_back(client):
    initiative, _report, _leader = team_initiative()

    response = client.get(url(initiative))

    assert (response.status_code, response["Location"]) == (
        302,
        f"/konts/login/?next=/iniciativas/{initiative.slug}/atskaite/",
    )


def test_people_outside_the_team_are_told_it_does_not_exist(client):
    initiative, _report, _leader = team_initiative()
    member = verified_user()
    MembershipFactory(user=member, community=initiative.community)
    client.force_login(member)

    assert (client.get(url(initiative)).status_code, client.post(url(initiative)).status_code) == (
        404,
        404,
    )
    assert FinalReport.objects.get(initiative=initiative).version == 1


def test_the_applicant_writes_the_report_too(client):
    initiative, _report, _leader = team_initiative()
    client.force_login(initiative.application.applicant)

    page = parse(client.get(url(initiative)).content)

    assert len(page.select("form#report-form")) == 1


def test_the_page_shows_status_due_date_plan_and_the_public_and_private_parts(client):
    initiative, report, leader = team_initiative()
    Initiative.objects.filter(pk=initiative.pk).update(report_due_on=datetime.date(2020, 3, 1))
    client.force_login(leader)

    page = parse(client.get(url(initiative)).content)

    assert page.texts("#initiative-facts dd") == [
        initiative.community.name,
        "Atbalstīta",
        "2020. gada 1. marts (nokavēts)",
    ]
    assert page.texts(".plan dd")[:3] == [
        "Satuvināt paaudzes un iesaistīt ģimenes ar bērniem.",
        "Talkas, stādīšana, rudens svētki.",
        "40",
    ]
    assert page.texts("form > fieldset > legend") == [
        "Plānotais un paveiktais",
        "Stāsts",
        "Sasniegtie cilvēki",
        "Izdevumi",
        "Izdevumus apliecinoši dokumenti",
        "Fotoattēli",
    ]
    public = "Publiska daļa — būs redzama iniciatīvas lapā pēc publicēšanas."
    private = "Privāta daļa — redz tikai jūsu komanda un koordinatori."
    assert page.texts(".visibility") == [public, public, public, private, private, public]
    row = page.select_one(".spending-table tbody tr")
    item = report.spending.get().item
    assert row.texts("th") + row.texts("td") == [
        item,
        "1 000,00 €",
        f"Izlietots: {item}, EUR",
        "—",
    ]
    assert [button.text for button in page.select(".actions button")] == [
        "Saglabāt melnrakstu",
        "Iesniegt atskaiti",
    ]


def test_target_groups_are_offered_in_their_order_less_active_first(client):
    initiative, _report, leader = team_initiative()
    later = TargetGroupFactory(title="Ģimenes ar bērniem", order=5)
    first = TargetGroupFactory(title="Neredzamā jaunatne", order=1)
    client.force_login(leader)

    page = parse(client.get(url(initiative)).content)

    assert [label.text for label in page.select("fieldset.reach label")] == [
        "Neredzamā jaunatne:",
        "Ģimenes ar bērniem:",
    ]
    assert page.select_one(f"#id_reach_{first.pk}") is not None
    assert page.select_one(f"#id_reach_{later.pk}") is not None


def test_a_coordinator_reads_the_report_but_cannot_change_it(client, coordinator):
    initiative, report, leader = team_initiative()
    fill_report(initiative, actor=leader)
    client.force_login(coordinator)

    page = parse(client.get(url(initiative)).content)
    response = client.post(url(initiative), form_data(report, story="Koordinatora teksts"))

    report.refresh_from_db()
    assert page.select("form#report-form") == []
    assert page.texts("#report-story p") == [
        "Visa ciema stāsts par to, kā mēs sakopām ezera krastu."
    ]
    assert [
        row.texts("th") + row.texts("td") for row in page.select("#report-spending tfoot tr")
    ] == [
        ["Kopā", "1 000,00 €", "1 000,00 €", "0,00 €"],
        ["Piešķirts", "1 000,00 €"],
        ["Līdzfinansējums", "0,00 €"],
    ]
    assert (response.status_code, report.story) == (
        302,
        "Visa ciema stāsts par to, kā mēs sakopām ezera krastu.",
    )


def test_a_coordinator_sees_a_report_not_yet_started_without_starting_it(client, coordinator):
    initiative = own_initiative()
    client.force_login(coordinator)

    page = parse(client.get(url(initiative)).content)

    assert page.texts("p.empty") == ["Komanda atskaiti vēl nav sākusi rakstīt."]
    assert FinalReport.objects.filter(initiative=initiative).exists() is False


def test_a_submitted_report_is_read_only_for_its_team(client):
    initiative, report, leader = team_initiative()
    fill_report(initiative, actor=leader)
    reports.submit_report(report=report, actor=leader)
    client.force_login(leader)

    page = parse(client.get(url(initiative)).content)

    assert page.select("form#report-form") == []
    assert page.texts("#initiative-facts dd")[1] == "Atskaite iesniegta"
    assert page.texts("#report-institutions li") == ["Aglonas vidusskola", "Preiļu novada dome"]


def _populate(report, leader, *, rows: int):
    """`rows` of everything the page lists: spending lines, receipts, photos, institutions,
    reach, model elements."""
    from tests.factories.grants import BudgetLineFactory

    application = report.initiative.application
    for _ in range(rows - application.budget_lines.count()):
        BudgetLineFactory(application=application, unit_price=Decimal(1), own_contribution=0)
    FinalReport.objects.filter(pk=report.pk).delete()
    report = reports.start_report(initiative=report.initiative)
    groups = TargetGroupFactory.create_batch(rows)
    elements = ModelElementFactory.create_batch(rows)
    reports.save_report(
        report=report,
        actor=leader,
        version=report.version,
        changes=reports.ReportChanges(
            institutions=[f"Iestāde {n}" for n in range(rows)],
            model_elements=[element.pk for element in elements],
            reach={group.pk: 3 for group in groups},
            receipts=[pdf(f"čeks-{n}.pdf") for n in range(rows)],
            photos=[
                reports.PhotoUpload(upload=jpeg(f"{n}.jpg"), alt_text=f"Foto {n}", consent=True)
                for n in range(rows)
            ],
        ),
    )
    return report


@pytest.mark.parametrize("view", ["form", "read-only"])
def test_the_report_page_queries_do_not_grow_with_its_rows(client, coordinator, view):
    counts = []
    for rows in (1, 8):
        initiative, report, leader = team_initiative()
        _populate(report, leader, rows=rows)
        client.force_login(leader if view == "form" else coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = parse(client.get(url(initiative)).content)
        counts.append(len(queries))
        assert len(page.select("ul.report-photos li")) == rows
        assert len(page.select(".spending-table tbody tr")) == rows

    # Behind a login: the session, the person, the initiative and their team membership, the
    # report (started on the form's first visit, under the initiative's row lock), each list.
    assert counts == ([20, 20] if view == "form" else [19, 19])


# --- Receipts ---------------------------------------------------------------------------------


def _with_receipt():
    initiative, report, leader = team_initiative()
    reports.save_report(
        report=report,
        actor=leader,
        version=report.version,
        changes=reports.ReportChanges(receipts=[pdf("rēķins 2026.pdf")]),
    )
    return initiative, report.receipts.get(), leader


def test_a_receipt_downloads_as_a_private_attachment_with_its_name(client):
    initiative, receipt, leader = _with_receipt()
    client.force_login(leader)

    response = client.get(url(initiative, f"atskaite/datnes/{receipt.pk}/"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert {
        name: response[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Cache-Control",
        )
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=utf-8''r%C4%93%C4%B7ins%202026.pdf",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store, max-age=0, no-cache, must-revalidate",
    }


def test_a_receipt_is_not_found_for_others_and_under_another_initiative(client, coordinator):
    initiative, receipt, leader = _with_receipt()
    other, _other_report, other_leader = team_initiative()
    path = url(initiative, f"atskaite/datnes/{receipt.pk}/")
    answers = {}
    for name, user in (("member", verified_user()), ("other leader", other_leader)):
        client.force_login(user)
        answers[name] = client.get(path).status_code
    client.force_login(leader)
    answers["own, under another slug"] = client.get(
        url(other, f"atskaite/datnes/{receipt.pk}/")
    ).status_code
    client.force_login(coordinator)
    answers["coordinator"] = client.get(path).status_code

    assert answers == {
        "member": 404,
        "other leader": 404,
        "own, under another slug": 404,
        "coordinator": 200,
    }


# --- Progress ---------------------------------------------------------------------------------


def test_the_team_marks_the_start_and_adds_and_completes_milestones(client):
    initiative, _report, leader = team_initiative()
    client.force_login(leader)
    path = url(initiative, "gaita/")

    client.post(path, {"action": "start"})
    client.post(path, {"action": "start"})
    client.post(path, {"action": "milestone", "title": "Stādu iepirkums", "due_on": "2027-04-01"})
    milestone = Milestone.objects.get(initiative=initiative)
    response = client.post(path, {"action": "done", "milestone": milestone.pk}, follow=True)

    initiative.refresh_from_db()
    milestone.refresh_from_db()
    page = parse(response.content)
    assert (initiative.status, milestone.done_on) == (
        Initiative.Status.IN_PROGRESS,
        timezone.localdate(),
    )
    assert page.texts("ul.messages li")[-1] == "Posms „Stādu iepirkums” atzīmēts kā paveikts."
    assert page.select("form.start-form") == []
    assert initiative.history.filter(after={"status": "in_progress"}).count() == 1


def test_a_milestone_with_bad_input_is_refused_with_latvian_messages(client):
    initiative, _report, leader = team_initiative()
    client.force_login(leader)

    response = client.post(
        url(initiative, "gaita/"),
        {"action": "milestone", "title": "<script>x</script>" + "a" * 200, "due_on": "31.02.2027"},
    )

    page = parse(response.content)
    assert response.status_code == 400
    assert page.texts("#kludas li") == [
        "Posms: Teksts ir par garu: atļautas ne vairāk kā 200 rakstzīmes (tagad 218).",
        "Plānotais datums: Ierakstiet datumu, piemēram, 2025-05-01.",
    ]
    assert page.select_one("#id_title").get("value") == "<script>x</script>" + "a" * 200
    assert Milestone.objects.count() == 0


def test_progress_page_queries_do_not_grow_with_milestones(client):
    initiative, _report, leader = team_initiative()
    client.force_login(leader)
    counts = []
    for total in (1, 20):
        while initiative.milestones.count() < total:
            Milestone.objects.create(
                initiative=initiative, title="Posms", due_on=datetime.date(2027, 5, 1)
            )
        with CaptureQueriesContext(connection) as queries:
            page = parse(client.get(url(initiative, "gaita/")).content)
        counts.append(len(queries))
        assert len(page.select("#milestones > li")) == total

    assert counts == [counts[0], counts[0]]
    assert counts[0] <= 12


# --- Recording a community's own initiative ---------------------------------------------------


def test_a_leader_records_an_initiative_and_goes_on_to_its_report(client):
    community = CommunityFactory(name="Rušona")
    leader = leader_of(community)
    client.force_login(leader)
    data = {
        "community": community.pk,
        "title": "Talka pie ezera",
        "year": "2025",
        "summary": "Sakopām krastu.",
        "starts_on": "1.05.2025",
        "ends_on": "2025-05-02",
    }

    first = client.post("/iniciativas/jauna/", data)
    second = client.post("/iniciativas/jauna/", data, follow=True)

    initiative = Initiative.objects.get()
    assert (first.status_code, first["Location"]) == (
        302,
        f"/iniciativas/{initiative.slug}/atskaite/",
    )
    assert (
        initiative.title,
        initiative.community,
        initiative.year,
        initiative.recorded_by,
        initiative.starts_on,
        initiative.status,
    ) == (
        "Talka pie ezera",
        community,
        2025,
        leader,
        datetime.date(2025, 5, 1),
        Initiative.Status.IN_PROGRESS,
    )
    assert parse(second.content).texts("ul.messages li")[-1] == (
        "Iniciatīva jau ir pieteikta; otrreiz tā netika veidota."
    )


def test_recording_offers_only_the_communities_one_leads_and_checks_the_input(client):
    led = CommunityFactory(name="Rušona")
    other = CommunityFactory(name="Aglona")
    leader = leader_of(led)
    MembershipFactory(user=leader, community=other)
    client.force_login(leader)

    page = parse(client.get("/iniciativas/jauna/").content)
    response = client.post(
        "/iniciativas/jauna/",
        {"community": other.pk, "title": "", "year": "abc", "summary": "<b>x</b>", "ends_on": "x"},
    )

    assert page.texts("#id_community option") == ["Rušona"]
    errors = parse(response.content).texts("#kludas li")
    assert response.status_code == 400
    assert errors == [
        "Kopiena: Izvēlieties derīgu vērtību. Šī vērtība nav starp pieejamajām.",
        "Nosaukums: Aizpildiet šo lauku.",
        "Gads: Ierakstiet gadu ar cipariem, piemēram, 2025.",
        "Beigas: Ierakstiet datumu, piemēram, 2025-06-30.",
    ]
    assert b"&lt;b&gt;x&lt;/b&gt;" in response.content
    assert Initiative.objects.count() == 0


def test_a_year_too_far_ahead_and_an_end_before_the_start_are_refused(client):
    community = CommunityFactory()
    client.force_login(leader_of(community))

    response = client.post(
        "/iniciativas/jauna/",
        {
            "community": community.pk,
            "title": "Talka",
            "year": "2999",
            "summary": "Sakopām.",
            "starts_on": "2025-05-02",
            "ends_on": "2025-05-01",
        },
    )

    assert parse(response.content).texts("#kludas li") == [
        f"Gads: Iniciatīvu var pieteikt ne vēlāk kā par {timezone.localdate().year + 1}. gadu.",
        "Beigas: Beigas nevar būt agrāk par sākumu.",
    ]


def test_people_who_lead_no_community_learn_who_can_record_one(client):
    client.force_login(verified_user())

    response = client.get("/iniciativas/jauna/")
    post = client.post("/iniciativas/jauna/", {"title": "x"})

    page = parse(response.content)
    assert (response.status_code, post.status_code) == (200, 200)
    assert page.texts("main p.lead") == [
        "Iniciatīvu, ko kopiena īstenoja pati, platformā piesaka kopienas līderis."
    ]
    assert Initiative.objects.count() == 0


def test_the_record_page_queries_do_not_grow_with_communities(client):
    leader = verified_user()
    counts = []
    for total in (1, 15):
        while leader.memberships.count() < total:
            MembershipFactory(user=leader, role="leader", status="active")
        client.force_login(leader)
        with CaptureQueriesContext(connection) as queries:
            page = parse(client.get("/iniciativas/jauna/").content)
        counts.append(len(queries))
        assert len(page.select("#id_community option")) == total

    assert counts == [counts[0], counts[0]]


# --- /mans/ -----------------------------------------------------------------------------------


def test_my_page_lists_my_initiatives_with_status_due_date_and_report_link(client):
    initiative, _report, leader = team_initiative()
    Initiative.objects.filter(pk=initiative.pk).update(report_due_on=datetime.date(2027, 7, 30))
    own = own_initiative(community=initiative.community, leader=leader, title="Talka", year=2025)
    other, _r, _l = team_initiative()
    client.force_login(leader)

    page = parse(client.get("/mans/").content)

    assert page.texts(".my-initiatives h3") == [initiative.title, "Talka"]
    assert page.texts(".my-initiatives li > p")[0] == (
        f"{initiative.community.name}, {initiative.year} · Atbalstīta · atskaites termiņš: "
        "2027. gada 30. jūlijs"
    )
    assert [a.get("href") for a in page.select(".my-initiatives h3 a")] == [
        f"/iniciativas/{initiative.slug}/atskaite/",
        f"/iniciativas/{own.slug}/atskaite/",
    ]
    assert other.title not in page.texts(".my-initiatives h3") or other.title == initiative.title


# --- English ----------------------------------------------------------------------------------


def test_the_report_page_speaks_english_under_en(client):
    initiative, _report, leader = team_initiative()
    client.force_login(leader)

    page = parse(client.get(f"/en{url(initiative)}").content)

    assert page.texts("form > fieldset > legend")[:3] == [
        "Planned and done",
        "Story",
        "People reached",
    ]
    assert [button.text for button in page.select(".actions button")] == [
        "Save draft",
        "Submit report",
    ]


def test_my_page_queries_do_not_grow_with_initiatives(client):
    community = CommunityFactory()
    leader = leader_of(community)
    client.force_login(leader)
    counts = []
    for total in (1, 12):
        while Initiative.objects.filter(community=community).count() < total:
            own_initiative(community=community, leader=leader, title="Talka")
        with CaptureQueriesContext(connection) as queries:
            page = parse(client.get("/mans/").content)
        counts.append(len(queries))
        assert len(page.select(".my-initiatives > li")) == total

    # The session, the user, which of /mans/'s lists hold anything, the initiatives and the
    # memberships (tests/kopienas/test_personal.py counts the page with every list).
    assert counts == [5, 5]


def test_my_page_says_when_a_report_is_overdue(client):
    initiative, _report, leader = team_initiative()
    Initiative.objects.filter(pk=initiative.pk).update(report_due_on=datetime.date(2020, 3, 1))
    client.force_login(leader)

    page = parse(client.get("/mans/").content)

    assert page.texts(".my-initiatives li > p")[0].endswith(
        "atskaites termiņš: 2020. gada 1. marts (nokavēts)"
    )
