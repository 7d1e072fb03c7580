"""devtools/data/past_rounds.json, the past competitions demo_data replays: read exactly (Latvian
letters, money to the cent) and refused loudly when a field is misspelt."""

import json
from datetime import date
from decimal import Decimal

import pytest

from devtools.demo.past_round_data import PAST_ROUNDS_FILE, read_past_rounds


def test_the_data_file_holds_the_three_past_rounds():
    data = read_past_rounds()

    assert [r.year for r in data.rounds] == [2019, 2020, 2021]
    assert [len(r.ideas) for r in data.rounds] == [13, 14, 15]
    # The brochure's "32 community ideas supported".
    assert sum(r.supported for r in data.rounds) == 32
    first = data.rounds[0]
    assert (first.opens, first.closes) == (date(2019, 3, 4), date(2019, 4, 12))
    assert str(first.budget) == "6500.00"
    assert str(first.criteria[1].weight) == "1.5"
    assert first.ideas[0].title == "Talka „Pī Boņa” laukuma iekārtošanai"
    assert str(first.ideas[2].lines[2].own_contribution) == "100.00"
    assert set(data.decision_messages) == {"supported", "reserve", "not_supported"}
    assert set(data.score_comments) == {"high", "mid", "low"}


def test_the_data_file_is_utf8_with_latvian_letters_not_escapes():
    text = PAST_ROUNDS_FILE.read_bytes().decode("utf-8")

    assert "\\u" not in text
    assert "Ilūkstes vēstures taka: vecāko iedzīvotāju stāsti" in text


def test_a_misspelt_field_stops_the_load_naming_the_file(tmp_path):
    data = json.loads(PAST_ROUNDS_FILE.read_text(encoding="utf-8"))
    data["rounds"][0]["ideas"][0]["qualty"] = data["rounds"][0]["ideas"][0].pop("quality")
    path = tmp_path / "past_rounds.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValueError, match=r"past_rounds\.json.*qualty"):
        read_past_rounds(path)


def test_money_is_never_a_binary_float(tmp_path):
    data = json.loads(PAST_ROUNDS_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "past_rounds.json"
    text = json.dumps(data, ensure_ascii=False).replace('"budget": "6500.00"', '"budget": 6500.10')
    path.write_text(text, encoding="utf-8")

    assert read_past_rounds(path).rounds[0].budget == Decimal("6500.10")
