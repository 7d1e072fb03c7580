"""/iniciativas/<slug>/: the published story for everyone; the team's and coordinators' preview
of an unpublished one; 404 for everyone else."""

import json

import pytest

from communities.models import Membership
from grants.models import GrantRound
from initiatives.models import Initiative
from initiatives.services import lifecycle, reports
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    ModelElementFactory,
    TargetGroupFactory,
    verified_user,
)
from tests.factories.grants import closed_round
from tests.factories.initiatives import funded_initiative, leader_of, own_initiative
from tests.html import definitions, parse
from tests.initiatives.public_support import publish, published_own, report_with

QUERY_BUDGET = 10


@pytest.fixture
def groups(db):
    return {
        "seniors": TargetGroupFactory(slug="seniori", title="Seniori"),
        "roma": TargetGroupFactory(slug="romi", title="Romu kopiena"),
        "youth": TargetGroupFactory(slug="jauniesi", title="Jaunieši"),
    }


@pytest.fixture
def lake(db, coordinator, groups):
    community = CommunityFactory(slug="kraslava", name="Krāslavas kopiena")
    return published_own(
        community=community,
        title="Krāslavas ezera talka",
        year=2024,
        coordinator=coordinator,
        participants=1234,
        elements=[
            ModelElementFactory(slug="talkas", title="Talkas"),
            ModelElementFactory(slug="kulinarija", title="Kopīga ēst gatavošana"),
        ],
        reach={groups["seniors"]: 12, groups["roma"]: 4, groups["youth"]: 5},
        photos=[
            ("Cilvēki vāc atkritumus ezera krastā", "Talkas rīts"),
            ("Jauni soliņi pie ūdens", ""),
        ],
    )


def test_published_page_shows_story_results_photos_reach_institutions_elements(client, lake):
    response = client.get("/iniciativas/kraslavas-ezera-talka/")

    assert response.status_code == 200
    doc = parse(response.content)
    photos = list(lake.report.photos.order_by("order"))
    assert doc.select_one("h1").text == "Krāslavas ezera talka"
    assert doc.select_one("p.lead").text == "Krāslavas kopiena · 2024"
    assert doc.select_one("p.lead a").get("href") == "/kopienas/kraslava/"
    assert doc.select(".notice") == []
    assert definitions(doc.select_one("dl.facts")) == [
        ("Finansējums", "Kopienas pašu iniciatīva"),
        ("Dalībnieku skaits", "1 234"),
        ("Brīvprātīgie", "12"),
    ]
    assert doc.texts("article h2") == [
        "Stāsts",
        "Rezultāti",
        "Fotoattēli",
        "Sasniegtās mērķa grupas",
        "Iesaistītās iestādes un organizācijas",
        "Praktizētie modeļa elementi",
    ]
    assert [
        (
            figure.select_one("a").get("href"),
            figure.select_one("img").get("src"),
            figure.select_one("img").get("alt"),
            [caption.text for caption in figure.select("figcaption")],
        )
        for figure in doc.select(".photo-gallery figure")
    ] == [
        (
            f"/iniciativas/kraslavas-ezera-talka/foto/{photos[0].pk}/liels/",
            f"/iniciativas/kraslavas-ezera-talka/foto/{photos[0].pk}/mazs/",
            "Cilvēki vāc atkritumus ezera krastā",
            ["Talkas rīts"],
        ),
        (
            f"/iniciativas/kraslavas-ezera-talka/foto/{photos[1].pk}/liels/",
            f"/iniciativas/kraslavas-ezera-talka/foto/{photos[1].pk}/mazs/",
            "Jauni soliņi pie ūdens",
            [],
        ),
    ]
    # Groups of fewer than five people are not shown exactly (as on the figures page).
    assert [
        (row.select_one("th").text, row.select_one("td").text)
        for row in doc.select(".reach-table tbody tr")
    ] == [("Seniori", "12"), ("Romu kopiena", "mazāk nekā 5"), ("Jaunieši", "5")]
    assert [[li.text for li in ul.select("li")] for ul in doc.select("article > ul")[-2:]] == [
        ["Aglonas vidusskola", "Preiļu novada dome"],
        ["Talkas", "Kopīga ēst gatavošana"],
    ]


def test_the_page_shows_the_published_copies_not_the_report_edited_later(client, lake):
    # Whatever happens to the report row afterwards, the public page is what was published.
    reports_row = lake.report
    reports_row.story = "Vēlāk mainīts teksts."
    reports_row.participants = 1
    reports_row.save()

    doc = parse(client.get("/iniciativas/kraslavas-ezera-talka/").content)

    assert "Vēlāk mainīts teksts." not in doc.text
    assert definitions(doc.select_one("dl.facts"))[1] == ("Dalībnieku skaits", "1 234")


def test_open_graph_and_json_ld(client, lake):
    response = client.get("/iniciativas/kraslavas-ezera-talka/")

    doc = parse(response.content)
    first = lake.report.photos.order_by("order").first()
    meta = {
        tag.get("property"): tag.get("content")
        for tag in doc.select("meta[property]")
        if (tag.get("property") or "").startswith("og:")
    }
    assert meta["og:title"] == "Krāslavas ezera talka"
    assert meta["og:description"] == "Kopiena sakopa ezera krastu un uzstādīja soliņus."
    assert meta["og:type"] == "article"
    assert meta["og:image"] == (
        f"http://testserver/iniciativas/kraslavas-ezera-talka/foto/{first.pk}/liels/"
    )
    assert meta["og:image:alt"] == "Cilvēki vāc atkritumus ezera krastā"
    data = json.loads(doc.select_one("script[type=application/ld+json]").text)
    assert data == {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": "Krāslavas ezera talka",
        "description": "Kopiena sakopa ezera krastu un uzstādīja soliņus.",
        "url": "http://testserver/iniciativas/kraslavas-ezera-talka/",
        "inLanguage": "lv",
        "parentOrganization": {
            "@type": "Organization",
            "name": "Krāslavas kopiena",
            "url": "http://testserver/kopienas/kraslava/",
        },
        "datePublished": lake.published_at.isoformat(),
        "image": f"http://testserver/iniciativas/kraslavas-ezera-talka/foto/{first.pk}/liels/",
    }


def test_json_ld_cannot_be_closed_by_a_title(client, db, coordinator):
    initiative = published_own(
        community=CommunityFactory(),
        title="</script><script>alert(1)</script>",
        year=2024,
        coordinator=coordinator,
    )

    content = client.get(initiative.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


@pytest.mark.parametrize("status", [GrantRound.Status.RESULTS, GrantRound.Status.DECISIONS])
def test_a_funded_initiative_links_to_its_rounds_results_only_when_they_are_public(
    client, db, coordinator, status
):
    grant_round = closed_round(status=GrantRound.Status.RESULTS, title="Konkurss 2025")
    initiative = publish(funded_initiative(grant_round=grant_round), coordinator=coordinator)
    GrantRound.objects.filter(pk=grant_round.pk).update(status=status)

    doc = parse(client.get(initiative.get_absolute_url()).content)

    facts = doc.select_one("dl.facts")
    links = [(a.text, a.get("href")) for a in facts.select("a")]
    if status == GrantRound.Status.RESULTS:
        assert definitions(facts)[0] == (
            "Finansējums",
            "Finansēts konkursā „Konkurss 2025” · Konkursa rezultāti",
        )
        assert links == [("Konkursa rezultāti", f"/konkursi/{grant_round.slug}/rezultati/")]
    else:
        assert definitions(facts)[0] == ("Finansējums", "Finansēts konkursā „Konkurss 2025”")
        assert links == []


# --- Who may see an initiative that is not published ---------------------------------------


@pytest.fixture
def submitted(db, groups):
    """An initiative of the Preiļi community whose report waits for review."""
    community = CommunityFactory(slug="preili", name="Preiļu kopiena")
    leader = leader_of(community, username="lideris")
    initiative = own_initiative(community=community, leader=leader, title="Dārza svētki")
    report = report_with(
        initiative,
        participants=30,
        reach={groups["seniors"]: 3},
        photos=[("Ražas galds", "")],
    )
    reports.submit_report(report=report, actor=leader)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    return initiative


def _viewer(role, initiative, coordinator):
    if role == "leader":
        return initiative.recorded_by
    if role == "coordinator":
        return coordinator
    if role == "member":
        user = verified_user(username="dalibnieks")
        MembershipFactory(
            user=user,
            community=initiative.community,
            role=Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
        )
        return user
    if role == "user":
        return verified_user(username="iedzivotajs")
    return None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("user", 404),
        ("member", 404),
        ("leader", 200),
        ("coordinator", 200),
    ],
)
def test_an_unpublished_initiative_is_seen_only_by_its_team_and_coordinators(
    client, submitted, coordinator, role, status
):
    viewer = _viewer(role, submitted, coordinator)
    if viewer is not None:
        client.force_login(viewer)

    response = client.get("/iniciativas/darza-svetki/")

    assert response.status_code == status
    if status == 404:
        assert "Dārza svētki" not in response.content.decode()
        return
    doc = parse(response.content)
    assert doc.select_one(".notice").text == (
        "Vēl nav publicēta (Atskaite iesniegta). Šo lapu redz tikai iniciatīvas komanda un "
        "koordinatori. Tajā ir atskaites pašreizējais saturs; publicējot to nokopē, un tad lapu "
        "redz ikviens."
    )
    # The preview is the report as it stands: its counts, reach (with the same small-group
    # rule) and photo.
    assert definitions(doc.select_one("dl.facts"))[1:] == [
        ("Dalībnieku skaits", "30"),
        ("Brīvprātīgie", "12"),
    ]
    assert [
        (row.select_one("th").text, row.select_one("td").text)
        for row in doc.select(".reach-table tbody tr")
    ] == [("Seniori", "mazāk nekā 5")]
    assert [img.get("alt") for img in doc.select(".photo-gallery img")] == ["Ražas galds"]
    assert doc.select("script[type=application/ld+json]") == []
    assert doc.select_one("meta[name=robots]").get("content") == "noindex"
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_a_preview_before_any_report_shows_the_notice_and_what_is_known(client, db, coordinator):
    initiative = own_initiative(title="Tikko pieteikta")
    client.force_login(coordinator)

    doc = parse(client.get(initiative.get_absolute_url()).content)

    assert doc.select_one(".notice strong").text == "Vēl nav publicēta"
    assert definitions(doc.select_one("dl.facts")) == [("Finansējums", "Kopienas pašu iniciatīva")]
    assert doc.select(".photo-gallery") == []


@pytest.mark.parametrize("role", ["anonymous", "user"])
def test_cancelled_and_unpublished_community_initiatives_are_not_found(
    client, db, coordinator, role
):
    cancelled = own_initiative(title="Atceltā talka")
    lifecycle.change_status(initiative=cancelled, to=Initiative.Status.CANCELLED, actor=coordinator)
    hidden = CommunityFactory(slug="slepta")
    published = published_own(community=hidden, title="Slēptās kopienas talka", year=2024)
    hidden.is_published = False
    hidden.save()
    if role == "user":
        client.force_login(verified_user())

    answers = [
        client.get(path).status_code
        for path in (
            cancelled.get_absolute_url(),
            published.get_absolute_url(),
            "/iniciativas/nav-tadas/",
        )
    ]

    assert answers == [404, 404, 404]


def _grow(initiative, groups_count: int, photos: int, coordinator) -> Initiative:
    groups = [
        TargetGroupFactory(slug=f"grupa-{n}", title=f"Grupa {n}") for n in range(groups_count)
    ]
    return publish(
        initiative,
        coordinator=coordinator,
        participants=1000,
        reach={group: 10 for group in groups},
        photos=[(f"Foto {n}", f"Paraksts {n}") for n in range(photos)],
    )


@pytest.mark.parametrize("url", ["/iniciativas/{slug}/", "/en/iniciativas/{slug}/"])
def test_detail_query_count_does_not_grow_with_photos_and_groups(
    client, db, coordinator, django_assert_num_queries, url
):
    # The initiative (with community and round), its photos, its reach with the groups, its
    # institutions and its model elements.
    queries = 5
    assert queries <= QUERY_BUDGET
    few = _grow(own_initiative(title="Maza talka"), 1, 1, coordinator)
    many = _grow(own_initiative(title="Liela talka"), 12, 12, coordinator)
    shown = []
    for initiative in (few, many):
        with django_assert_num_queries(queries):
            response = client.get(url.format(slug=initiative.slug))
        doc = parse(response.content)
        shown.append(
            (len(doc.select(".photo-gallery img")), len(doc.select(".reach-table tbody tr")))
        )

    assert shown == [(1, 1), (12, 12)]


def test_english_page_has_english_labels_and_marks_the_latvian_content(client, lake):
    doc = parse(client.get("/en/iniciativas/kraslavas-ezera-talka/").content)

    assert doc.select_one("html").get("lang") == "en"
    assert doc.select_one("h1").get("lang") == "lv"
    assert definitions(doc.select_one("dl.facts")) == [
        ("Funding", "The community's own initiative"),
        ("Participants", "1,234"),
        ("Volunteers", "12"),
    ]
    assert doc.texts("article h2") == [
        "Story",
        "Results",
        "Photos",
        "Target groups reached",
        "Institutions and organisations involved",
        "Model elements practised",
    ]
    assert [row.select_one("td").text for row in doc.select(".reach-table tbody tr")] == [
        "12",
        "fewer than 5",
        "5",
    ]
    assert doc.select_one("p.breadcrumbs a").get("href") == "/en/iniciativas/"
