"""The capacity self-assessment pages (communities/capacity_views.py): what each role sees and
sends, bad input answered with the form kept, and a fixed number of queries per page."""

from datetime import timedelta

import pytest

from communities.models import (
    ActionItem,
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    Membership,
)
from core.formats import latvian_date, riga_today
from tests.communities.capacity_support import in_community, open_round
from tests.factories import CommunityFactory
from tests.html import parse

QUERY_BUDGET = 20  # pages behind a log-in: the session and the user come first
BASE = "/kopienas/preili/ricibspeja/"


@pytest.fixture
def live_round(community, leader):
    """A round open today, whatever day the tests run."""
    today = riga_today()
    return open_round(
        community,
        opens_on=today - timedelta(days=9),
        closes_on=today + timedelta(days=21),
        opened_by=leader,
    )


def all_levels(dimensions, level: str, **extra) -> dict:
    return {f"level-{d.pk}": level for d in dimensions} | extra


def texts(response, selector: str) -> list[str]:
    return parse(response.content).texts(selector)


def submit(client, round_, data):
    return client.post(f"{BASE}{round_.pk}/", data)


# --- The rounds list ---------------------------------------------------------------------------


def test_a_member_sees_the_rounds_and_a_leader_also_the_way_to_open_one(
    client, community, member, leader, live_round
):
    client.force_login(member)
    as_member = client.get(BASE)
    client.force_login(leader)
    as_leader = client.get(BASE)

    opens, closes = (latvian_date(live_round.opens_on), latvian_date(live_round.closes_on))
    assert texts(as_member, "ul.capacity-rounds li") == [
        f"Sākotnējais novērtējums 2026 – Sākotnējais novērtējums, {opens} – {closes} (atvērta)"
    ]
    assert texts(as_member, "a.button") == []
    assert texts(as_leader, "a.button") == ["Atvērt jaunu novērtēšanas kārtu"]


def test_the_community_page_links_members_to_the_self_assessment(client, community, member):
    client.force_login(member)

    doc = parse(client.get("/kopienas/preili/").content)

    assert [(a.text, a.get("href")) for a in doc.select("section.community-capacity a")] == [
        ("Pašnovērtējuma kārtas un rezultāti", BASE)
    ]


# --- Opening a round ---------------------------------------------------------------------------


def test_a_leader_opens_a_round_from_the_form(client, community, leader, dimensions):
    client.force_login(leader)
    today = riga_today()

    response = client.post(
        f"{BASE}jauna/",
        {"title": "Pirmais novērtējums", "opens_on": today, "closes_on": today + timedelta(7)},
    )

    round_ = AssessmentRound.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"{BASE}{round_.pk}/")
    assert (round_.title, round_.kind, round_.opened_by) == (
        "Pirmais novērtējums",
        AssessmentRound.Kind.BASELINE,
        leader,
    )


def test_opening_a_second_round_while_one_is_open_keeps_what_was_typed(client, leader, live_round):
    client.force_login(leader)
    today = riga_today()

    response = client.post(
        f"{BASE}jauna/",
        {"title": "<script>alert(1)</script>", "opens_on": today, "closes_on": today},
    )

    doc = parse(response.content)
    assert response.status_code == 200
    assert doc.texts(".error-summary li") == [
        "Kopienai jau ir atvērta novērtēšanas kārta. Jaunu var atvērt, kad tā beigsies."
    ]
    assert doc.select_one("input[name=title]").get("value") == "<script>alert(1)</script>"
    assert b"<script>alert(1)" not in response.content
    assert AssessmentRound.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"title": "", "opens_on": "vakar", "closes_on": ""},
            [
                "Nosaukums: Šis lauks ir obligāts.",
                "Atvērta no: Norādiet datumu formā GGGG-MM-DD.",
                "Atvērta līdz (ieskaitot): Norādiet datumu.",
            ],
        ),
        (
            {"title": "x" * 201, "opens_on": "2026-01-01", "closes_on": "2026-01-02"},
            ["Nosaukums: Ne vairāk kā 200 rakstzīmes (tagad 201)."],
        ),
    ],
)
def test_a_round_form_with_bad_input_says_what_is_wrong(client, leader, dimensions, data, errors):
    client.force_login(leader)

    response = client.post(f"{BASE}jauna/", data)

    assert texts(response, ".error-summary li") == errors
    assert AssessmentRound.objects.count() == 0


# --- Answering ---------------------------------------------------------------------------------


def test_the_answer_form_has_a_fieldset_per_dimension_with_the_level_texts_as_labels(
    client, activist, live_round, dimensions
):
    client.force_login(activist)

    doc = parse(client.get(f"{BASE}{live_round.pk}/").content)
    fieldsets = doc.select("form.capacity-form fieldset")

    assert [f.select_one("legend").text for f in fieldsets] == [
        f"{number}. {d.title}" for number, d in enumerate(dimensions, start=1)
    ]
    assert [label.text for label in fieldsets[6].select(".level-choice label")] == [
        "1 – Sākums: cilvēki maz pazīst cits citu un citu idejām neuzticas.",
        "2 – Attīstība: tie, kas kopā strādā, uzticas cits citam, bet jaunpienācēji un citas "
        "grupas paliek malā.",
        "3 – Stabila: iedzīvotāji cits uz citu paļaujas, dalās ar resursiem un kopā risina "
        "domstarpības.",
        "4 – Spēcīga: uzticība sniedzas pāri grupām un paaudzēm; kopienai uzticas arī iestādes "
        "un partneri.",
    ]
    assert [label.text for label in fieldsets[0].select(".field label")] == [
        "Komentārs (nav obligāts):"
    ]
    # Nobody's answers are shown before the person has given theirs.
    assert doc.select("table.capacity-spread") == []


def test_others_answers_show_as_counts_once_the_person_has_submitted(
    client, community, activist, live_round, dimensions
):
    other = in_community(community, Membership.Role.ACTIVIST)
    client.force_login(other)
    submit(client, live_round, all_levels(dimensions, "2"))
    client.force_login(activist)

    before = parse(client.get(f"{BASE}{live_round.pk}/").content)
    submit(client, live_round, all_levels(dimensions, "4"))
    after = parse(client.get(f"{BASE}{live_round.pk}/").content)

    assert before.select("table.capacity-spread") == []
    rows = after.select("table.capacity-spread tbody tr")
    assert [rows[0].select_one("th").text] + [cell.text for cell in rows[0].select("td")] == [
        f"1. {dimensions[0].title}",
        "0",
        "1",
        "0",
        "1",
        "2–4",
    ]
    assert after.texts("section[aria-labelledby=izkliede] > p") == [
        "Atbildes iesnieguši 2 dalībnieki."
    ]


def test_an_answer_is_saved_and_a_double_submit_replaces_it(
    client, activist, live_round, dimensions
):
    client.force_login(activist)
    data = all_levels(dimensions, "3", **{f"comment-{dimensions[0].pk}": "Talkas notiek"})

    first = submit(client, live_round, data)
    second = submit(client, live_round, data)

    assert [first.status_code, second.status_code] == [302, 302]
    assert CapacityAnswer.objects.filter(person=activist).count() == 8
    assert CapacityAnswer.objects.get(dimension=dimensions[0]).comment == "Talkas notiek"


def test_a_draft_is_kept_unsubmitted_and_shown_again(client, activist, live_round, dimensions):
    client.force_login(activist)

    submit(client, live_round, {f"level-{dimensions[1].pk}": "2", "darbiba": "melnraksts"})
    doc = parse(client.get(f"{BASE}{live_round.pk}/").content)

    assert list(CapacityAnswer.objects.values_list("level", "submitted_at")) == [(2, None)]
    assert doc.select_one(f"input[name=level-{dimensions[1].pk}][checked]").get("value") == "2"


def test_bad_answers_are_refused_with_the_form_kept(client, activist, live_round, dimensions):
    client.force_login(activist)
    data = all_levels(dimensions, "3")
    data[f"level-{dimensions[0].pk}"] = "9"
    data[f"comment-{dimensions[1].pk}"] = "<script>alert(1)</script>"
    data[f"comment-{dimensions[2].pk}"] = "ā" * 2001
    del data[f"level-{dimensions[3].pk}"]

    response = submit(client, live_round, data)

    doc = parse(response.content)
    assert doc.texts(".error-summary li") == [
        f"{dimensions[0].title}: Līmenis: Izvēlieties līmeni no 1 līdz 4.",
        f"{dimensions[2].title}: Komentārs (nav obligāts): "
        "Ne vairāk kā 2000 rakstzīmes (tagad 2001).",
    ]
    assert doc.select_one(f"textarea[name=comment-{dimensions[1].pk}]").text == (
        "<script>alert(1)</script>"
    )
    assert b"<script>alert(1)" not in response.content
    assert CapacityAnswer.objects.count() == 0


def test_a_submission_missing_a_level_names_the_dimension(client, activist, live_round, dimensions):
    client.force_login(activist)
    data = all_levels(dimensions, "3")
    del data[f"level-{dimensions[3].pk}"]

    response = submit(client, live_round, data)

    assert texts(response, ".error-summary li") == [
        f"{dimensions[3].title}: Līmenis: Izvēlieties līmeni šai dimensijai."
    ]
    assert texts(response, ".error-summary a")[0] == f"{dimensions[3].title}: Līmenis"
    assert parse(response.content).select_one(".error-summary a").get("href") == (
        f"#id_level-{dimensions[3].pk}_0"
    )


def test_an_answer_after_the_round_closed_is_refused_and_nothing_changes(
    client, community, activist, dimensions
):
    today = riga_today()
    closed = open_round(
        community, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    client.force_login(activist)

    page = parse(client.get(f"{BASE}{closed.pk}/").content)
    response = submit(client, closed, all_levels(dimensions, "3"))

    assert page.select("form.capacity-form") == []
    assert texts(response, ".error-summary li") == [
        f"Šī kārta nav atvērta: atbildes pieņem no {closed.opens_on.isoformat()} "
        f"līdz {closed.closes_on.isoformat()}."
    ]
    assert CapacityAnswer.objects.count() == 0


def test_a_member_without_the_activist_role_may_look_but_not_answer(
    client, member, live_round, dimensions
):
    client.force_login(member)

    page = client.get(f"{BASE}{live_round.pk}/")
    response = submit(client, live_round, all_levels(dimensions, "3"))

    assert texts(page, "p.capacity-state") == [
        "Atbildes sniedz kopienas aktīvisti un līderi; kopienas vienošanos un rezultātus "
        "redzēsiet šeit."
    ]
    assert response.status_code == 403
    assert CapacityAnswer.objects.count() == 0


# --- Consensus and plan ------------------------------------------------------------------------


def test_the_leader_sees_the_spread_and_records_the_consensus(
    client, community, leader, activist, live_round, dimensions
):
    client.force_login(activist)
    submit(client, live_round, all_levels(dimensions, "1"))
    client.force_login(leader)
    submit(client, live_round, all_levels(dimensions, "3"))

    page = parse(client.get(f"{BASE}{live_round.pk}/vienosanas/").content)
    data = all_levels(dimensions, "2") | {f"reason-{d.pk}": "Sapulcē 12. martā" for d in dimensions}
    response = client.post(f"{BASE}{live_round.pk}/vienosanas/", data)

    assert page.texts("fieldset p.spread")[0] == "2 atbildes, līmeņi 1–3."
    assert (response.status_code, response["Location"]) == (302, f"{BASE}{live_round.pk}/")
    assert (
        list(CapacityConsensus.objects.values_list("level", "reason"))
        == [(2, "Sapulcē 12. martā")] * 8
    )


def test_a_consensus_before_any_answer_is_refused_with_the_form_kept(
    client, leader, live_round, dimensions
):
    client.force_login(leader)

    response = client.post(
        f"{BASE}{live_round.pk}/vienosanas/",
        {f"level-{dimensions[0].pk}": "2", f"reason-{dimensions[0].pk}": "Mūsu viedoklis"},
    )

    doc = parse(response.content)
    assert doc.texts(".error-summary li") == [
        "Vienošanos var ierakstīt, kad vismaz viens dalībnieks ir iesniedzis savas atbildes."
    ]
    assert doc.select_one(f"textarea[name=reason-{dimensions[0].pk}]").text == "Mūsu viedoklis"
    assert CapacityConsensus.objects.count() == 0


def test_the_leader_plans_and_the_next_round_shows_the_plan_for_review(
    client, community, leader, activist, dimensions
):
    today = riga_today()
    earlier = open_round(
        community,
        title="Pirmā kārta",
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=370),
    )
    client.force_login(leader)
    response = client.post(
        f"{BASE}{earlier.pk}/plans/",
        {
            "dimension": dimensions[5].pk,
            "text": "Līderu skola jauniešiem",
            "owner": activist.pk,
            "due_on": "2026-09-01",
        },
    )
    item = ActionItem.objects.get()
    client.post(f"{BASE}{earlier.pk}/plans/{item.pk}/", {"status": "done"})
    later = open_round(
        community,
        title="Otrā kārta",
        kind=AssessmentRound.Kind.FOLLOW_UP,
        opens_on=today,
        closes_on=today,
    )

    review = parse(client.get(f"{BASE}{later.pk}/").content)

    assert (response.status_code, response["Location"]) == (302, f"{BASE}{earlier.pk}/plans/")
    assert review.texts("#ieprieksejais-plans") == [
        "Iepriekšējās kārtas plāns pārskatīšanai: Pirmā kārta"
    ]
    assert [
        td.text for td in review.select("section[aria-labelledby=ieprieksejais-plans] tbody td")
    ] == [
        "Līderu esamība",
        "Līderu skola jauniešiem",
        "Jānis Ozols",
        "2026. gada 1. septembris",
        "Paveikts",
    ]


def test_a_plan_item_with_bad_input_is_refused_with_the_form_kept(
    client, community, leader, live_round, dimensions
):
    outsider = in_community(CommunityFactory(slug="aglona"), Membership.Role.ACTIVIST)
    client.force_login(leader)

    response = client.post(
        f"{BASE}{live_round.pk}/plans/",
        {"dimension": "999", "text": "x" * 501, "owner": outsider.pk, "due_on": "rīt"},
    )
    status = client.post(f"{BASE}{live_round.pk}/plans/12345/", {"status": "done"})

    assert texts(response, ".error-summary li") == [
        "Dimensija: Izvēlieties dimensiju no saraksta.",
        "Darbība: Ne vairāk kā 500 rakstzīmes (tagad 501).",
        "Atbildīgais (nav obligāts): Izvēlieties atbildīgo no saraksta.",
        "Termiņš (nav obligāts): Norādiet datumu formā GGGG-MM-DD.",
    ]
    assert status.status_code == 404
    assert ActionItem.objects.count() == 0
