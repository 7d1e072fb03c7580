"""/konkursi/ and /konkursi/<slug>/: what the public sees, in a fixed number of queries."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import GrantRound
from tests.factories import TargetGroupFactory
from tests.factories.grants import CriterionFactory, GrantRoundFactory
from tests.html import definitions, parse

pytestmark = pytest.mark.django_db


def test_rounds_are_listed_open_upcoming_and_past_without_drafts(client):
    now = timezone.now()
    GrantRoundFactory(title="Atvērtais", opens_at=now - timedelta(days=1))
    GrantRoundFactory(
        title="Gaidāmais", opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=30)
    )
    GrantRoundFactory(
        title="Beidzies", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    GrantRoundFactory(title="Vērtēšanā", status=GrantRound.Status.ASSESSMENT)
    GrantRoundFactory(title="Sagatavošanā", status=GrantRound.Status.DRAFT)

    page = parse(client.get("/konkursi/").content)

    assert page.texts("#open-rounds .card-title") == ["Atvērtais"]
    assert page.texts("#upcoming-rounds .card-title") == ["Gaidāmais"]
    assert page.texts("#past-rounds .card-title") == ["Vērtēšanā", "Beidzies"]


def test_past_rounds_are_paginated(client):
    now = timezone.now()
    for day in range(12):
        GrantRoundFactory(
            title=f"Konkurss {day:02d}",
            opens_at=now - timedelta(days=100),
            closes_at=now - timedelta(days=day + 1),
        )

    first = parse(client.get("/konkursi/").content)
    second = parse(client.get("/konkursi/?lapa=2").content)

    assert first.texts("#past-rounds .card-title") == [f"Konkurss {day:02d}" for day in range(10)]
    assert second.texts("#past-rounds .card-title") == ["Konkurss 10", "Konkurss 11"]
    assert second.select_one(".pagination span").text == "2. lapa no 2"


def test_empty_sections_say_so(client):
    page = parse(client.get("/konkursi/").content)

    assert page.texts("p.empty") == [
        "Pašlaik neviens konkurss nav atvērts.",
        "Jauni konkursi vēl nav izsludināti.",
        "Noslēgušos konkursu vēl nav.",
    ]


def test_round_page_shows_dates_in_riga_money_criteria_and_groups(client, monkeypatch):
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    grant_round = GrantRoundFactory(
        slug="dk-2026",
        title="Mazo iniciatīvu konkurss 2026",
        opens_at=datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
        closes_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        total_budget=Decimal("24000.00"),
        max_grant=Decimal("1234.50"),
        description="Konkursa <b>apraksts</b>.",
    )
    CriterionFactory(round=grant_round, title="Kopienas vajadzība", max_points=20, order=2)
    CriterionFactory(
        round=grant_round, title="Mazāk aktīvo iesaiste", max_points=10, weight="1.5", order=1
    )
    grant_round.target_groups.add(TargetGroupFactory(title="Vīrieši 35+"))

    page = parse(client.get("/konkursi/dk-2026/").content)

    assert page.select_one("h1").text == "Mazo iniciatīvu konkurss 2026"
    assert definitions(page.select_one("#round-facts")) == [
        ("Statuss", "Izsludināts"),
        ("Pieteikšanās sākas", "2026. gada 1. novembris plkst. 09.00"),
        ("Pieteikšanās beidzas", "2026. gada 26. novembris plkst. 14.00"),
        ("Īstenošanas laiks", "2027. gada 1. janvāris – 2027. gada 30. jūnijs"),
        ("Kopējais budžets", "24 000,00 €"),
        ("Lielākais atbalsts vienam projektam", "1 234,50 €"),
    ]
    countdown = page.select_one("p.countdown")
    assert countdown.text == "Līdz pieteikšanās beigām: 6 d. 2 st. 0 min."
    assert countdown.get("data-closes-at") == "2026-11-26T14:00:00+02:00"
    assert page.select_one("a.button").get("href") == "/konkursi/dk-2026/pieteikties/"
    assert page.texts("table.criteria tbody tr") == [
        "Mazāk aktīvo iesaiste 10 1,50",
        "Kopienas vajadzība 20 1",
    ]
    assert page.texts("ul.target-groups li") == ["Vīrieši 35+"]
    assert page.select("section .prose p")[0].text == "Konkursa <b>apraksts</b>."
    script = page.select_one("script[src]")
    assert (script.get("src"), "defer" in script.attrs) == ("/static/js/application.js", True)
    assert "/static/css/grants.css" in [link.get("href") for link in page.select("link")]


def test_closed_round_has_no_apply_button(client):
    GrantRoundFactory(slug="beidzies", closes_at=timezone.now() - timedelta(seconds=1))

    page = parse(client.get("/konkursi/beidzies/").content)

    assert page.select("a.button") == []
    assert page.select("p.countdown") == []
    assert page.select_one("p.notice").text == "Pieteikšanās šajā konkursā ir beigusies."


def test_round_list_queries_do_not_grow(client, django_assert_num_queries):
    now = timezone.now()
    GrantRoundFactory(opens_at=now - timedelta(days=1))
    GrantRoundFactory(closes_at=now - timedelta(days=1), opens_at=now - timedelta(days=9))
    with django_assert_num_queries(4):
        client.get("/konkursi/")
    for day in range(20):
        GrantRoundFactory(opens_at=now - timedelta(days=1))
        GrantRoundFactory(
            closes_at=now - timedelta(days=day + 1), opens_at=now - timedelta(days=90)
        )
        GrantRoundFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=9))
    with django_assert_num_queries(4):
        client.get("/konkursi/")


def test_round_page_queries_do_not_grow(client, django_assert_num_queries):
    grant_round = GrantRoundFactory(slug="dk")
    CriterionFactory(round=grant_round)
    grant_round.target_groups.add(TargetGroupFactory())
    with django_assert_num_queries(3):
        client.get("/konkursi/dk/")
    CriterionFactory.create_batch(10, round=grant_round)
    grant_round.target_groups.add(*TargetGroupFactory.create_batch(5))
    with django_assert_num_queries(3):
        client.get("/konkursi/dk/")


def test_english_interface_uses_english_formats(client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    GrantRoundFactory(
        slug="dk-2026",
        opens_at=datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
        closes_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        total_budget=Decimal("24000.00"),
        max_grant=Decimal("1234.50"),
    )

    facts = definitions(parse(client.get("/en/konkursi/dk-2026/").content).select_one("dl"))

    assert [value for _, value in facts][1:] == [
        "1 November 2026, 09:00",
        "26 November 2026, 14:00",
        "1 January 2027 – 30 June 2027",
        "€24,000.00",
        "€1,234.50",
    ]


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        # Winter (UTC+2) and summer (UTC+3) in Riga; the month in the locative inside a sentence.
        ("lv", datetime(2026, 11, 26, 12, 0, tzinfo=UTC), "2026. gada 26. novembrī plkst. 14.00"),
        ("lv", datetime(2021, 5, 15, 8, 59, tzinfo=UTC), "2021. gada 15. maijā plkst. 11.59"),
        ("lv", datetime(2027, 3, 1, 7, 5, tzinfo=UTC), "2027. gada 1. martā plkst. 09.05"),
        ("en", datetime(2026, 11, 26, 12, 0, tzinfo=UTC), "26 November 2026, 14:00"),
    ],
)
def test_a_moment_inside_a_sentence_takes_the_locative(language, moment, expected):
    from django.utils import translation

    from core.formats import riga_datetime_in

    with translation.override(language):
        assert riga_datetime_in(moment) == expected
