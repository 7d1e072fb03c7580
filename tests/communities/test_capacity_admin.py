"""The capacity self-assessment in the admin: coordinators edit the instrument's texts until a
round uses a version, and see every community's rounds, answers, consensus and plans without
changing them."""

from datetime import date

from communities import capacity_selectors
from communities.models import (
    AssessmentRound,
    CapacityAnswer,
    CapacityConsensus,
    CapacityInstrument,
)
from tests.communities.capacity_support import open_round
from tests.factories import CommunityFactory, staff
from tests.html import parse


def test_a_coordinator_edits_an_unused_version_but_not_one_a_round_uses(
    client, coordinator, dimensions
):
    instrument = CapacityInstrument.objects.get()
    client.force_login(coordinator)
    path = f"/admin/communities/capacityinstrument/{instrument.pk}/change/"

    unused = parse(client.get(path).content)
    AssessmentRound.objects.create(
        community=CommunityFactory(slug="aglona"),
        instrument=instrument,
        kind=AssessmentRound.Kind.BASELINE,
        title="Pirmā",
        opens_on="2026-03-01",
        closes_on="2026-03-31",
    )
    used = parse(client.get(path).content)

    # The inline's blank template row ("__prefix__") aside.
    assert len([t for t in unused.select("textarea") if "__prefix__" not in t.attrs["name"]]) == 32
    assert used.select("textarea") == []
    assert [p.text for p in used.select("td.field-text p")][:1] == [
        "Sākums: kopīgos darbos piedalās tie paši daži cilvēki; pārmaiņas (skolas slēgšana, "
        "jauns novads) kopiena vēro no malas."
    ]


def test_a_coordinator_sees_answers_of_people_who_left_as_anonymised(
    client, coordinator, round_, activist, dimensions
):
    CapacityAnswer.objects.create(round=round_, person=None, dimension=dimensions[0], level=2)
    client.force_login(coordinator)

    response = client.get("/admin/communities/capacityanswer/")
    cells = [td.text for td in parse(response.content).select("td.field-person_shown")]

    assert (response.status_code, cells) == (200, ["(anonimizēts)"])


def test_a_coordinator_may_look_at_a_round_but_not_change_it(client, coordinator, round_):
    client.force_login(coordinator)

    response = client.post(
        f"/admin/communities/assessmentround/{round_.pk}/change/", {"title": "Cits"}
    )

    round_.refresh_from_db()
    assert (response.status_code, round_.title) == (403, "Sākotnējais novērtējums 2026")


# --- The coordinators' overview ----------------------------------------------------------------

OVERVIEW = "/admin/communities/assessmentround/kopsavilkums/"


def _agreed(community, title, opens_on, levels_, dimensions):
    round_ = open_round(community, title=title, opens_on=opens_on, closes_on=opens_on)
    CapacityConsensus.objects.bulk_create(
        CapacityConsensus(round=round_, dimension=d, level=level, reason="Sapulcē")
        for d, level in zip(dimensions, levels_, strict=True)
        if level is not None
    )
    return round_


def test_the_overview_shows_each_communitys_change_and_the_yearly_medians(
    client, coordinator, dimensions
):
    aglona = CommunityFactory(slug="aglona", name="Aglonas kopiena", municipality="Preiļu novads")
    preili = CommunityFactory(slug="preili", name="Preiļu kopiena", municipality="Preiļu novads")
    zilupe = CommunityFactory(slug="zilupe", name="Zilupes kopiena", municipality="Ludzas novads")
    _agreed(aglona, "2019", date(2019, 3, 1), [1, 1, 1, 1, 1, 1, 1, 1], dimensions)
    _agreed(aglona, "2022", date(2022, 3, 1), [3, 2, 1, 2, 2, 2, 2, 2], dimensions)
    _agreed(preili, "2019", date(2019, 4, 1), [2, 2, 2, 2, 2, 2, 2, None], dimensions)
    # Two rounds in one year: the later one counts for that year.
    _agreed(preili, "2019 rudens", date(2019, 10, 1), [2, 2, 2, 2, 2, 2, 2, 2], dimensions)
    _agreed(zilupe, "2022", date(2022, 5, 1), [4, 4, 4, 4, 4, 4, 4, 4], dimensions)
    client.force_login(coordinator)

    doc = parse(client.get(OVERVIEW).content)

    def table(selector):
        return [
            [row.select_one("th").text] + [td.text for td in row.select("td")]
            for row in doc.select(f"{selector} tbody tr")
        ]

    assert table("table.capacity-medians") == [
        ["2019", "2", *["1,5"] * 8],
        ["2022", "2", "3,5", "3", "2,5", "3", "3", "3", "3", "3"],
    ]
    assert table("table.capacity-changes") == [
        ["Aglonas kopiena (Preiļu novads)", "2019 → 2022", "1 → 3 (+2)", "1 → 2 (+1)"]
        + ["1 → 1 (0)"]
        + ["1 → 2 (+1)"] * 5,
        ["Preiļu kopiena (Preiļu novads)", "2019 → 2019 rudens", *["2 → 2 (0)"] * 7, "—"],
        ["Zilupes kopiena (Ludzas novads)", "2022 → 2022", *["4 → 4 (0)"] * 8],
    ]


def test_a_centre_manager_may_not_see_the_overview(client, dimensions):
    manager = staff("Centru vadītāji")
    client.force_login(manager)

    assert client.get(OVERVIEW).status_code == 403


def test_the_overview_lists_the_communities_a_page_at_a_time_keeping_the_version(
    client, coordinator, dimensions, monkeypatch
):
    monkeypatch.setattr(capacity_selectors, "OVERVIEW_PAGE_SIZE", 2)
    names = {
        "zilupe": "Zilupes kopiena",
        "aglona": "Aglonas kopiena",
        "preili": "Preiļu kopiena",
        "balvi": "Balvu kopiena",
        "ludza": "Ludzas kopiena",
    }
    for slug, name in names.items():
        community = CommunityFactory(slug=slug, name=name)
        _agreed(community, "2019", date(2019, 3, 1), [1] * 8, dimensions)
    client.force_login(coordinator)

    def page(query):
        doc = parse(client.get(OVERVIEW + query).content)
        return (
            # The community's name, before its municipality in brackets.
            [
                row.select_one("th").text.split(" (")[0]
                for row in doc.select("table.capacity-changes tbody tr")
            ],
            [(a.text, a.attrs["href"]) for a in doc.select("nav.paginator a")],
            doc.select_one("nav.paginator .result-count").text,
            # The medians are of every community, whichever page is shown.
            [td.text for td in doc.select("table.capacity-medians tbody td")][:1],
        )

    links = [
        ("1", "?versija=1&lapa=1#pa-kopienam"),
        ("2", "?versija=1&lapa=2#pa-kopienam"),
        ("3", "?versija=1&lapa=3#pa-kopienam"),
    ]
    assert page("") == (
        ["Aglonas kopiena", "Balvu kopiena"],
        [("1", ""), *links[1:]],
        "5 kopienas",
        ["5"],
    )
    assert page("?versija=1&lapa=3") == (
        ["Zilupes kopiena"],
        [*links[:2], ("3", "")],
        "5 kopienas",
        ["5"],
    )
    # A page past the end shows the last one, as Django's lists do.
    assert page("?lapa=9")[0] == ["Zilupes kopiena"]


def test_the_overview_has_a_fixed_number_of_queries(
    client, coordinator, dimensions, django_assert_num_queries
):
    client.force_login(coordinator)
    sizes = []
    for count in (1, 60):
        for _ in range(count):
            community = CommunityFactory()
            _agreed(community, "2019", date(2019, 3, 1), [1] * 8, dimensions)
            _agreed(community, "2020", date(2020, 3, 1), [3] * 8, dimensions)
            _agreed(community, "2022", date(2022, 3, 1), [2] * 8, dimensions)
        # The session, the user and what the admin asks of them, the instruments, the
        # dimensions, the communities per year and the counts of levels per year, the number
        # of communities, the page of them and the consensus of their first and latest rounds:
        # the same however many communities, rounds and pages.
        with django_assert_num_queries(13):
            response = client.get(OVERVIEW + "?lapa=2")
        doc = parse(response.content)
        sizes.append(
            (
                len(doc.select("table.capacity-changes tbody tr")),
                [td.text for td in doc.select("table.capacity-changes tbody tr")[0].select("td")][
                    :2
                ],
                [tr.select("td")[0].text for tr in doc.select("table.capacity-medians tbody tr")],
            )
        )

    # One community: page 2 does not exist, page 1 is shown; 61: the second page holds 11.
    assert sizes == [
        (1, ["2019 → 2022", "1 → 2 (+1)"], ["1", "1", "1"]),
        (11, ["2019 → 2022", "1 → 2 (+1)"], ["61", "61", "61"]),
    ]
