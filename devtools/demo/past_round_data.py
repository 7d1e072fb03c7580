"""The initiative's three past competitions as data: `devtools/data/past_rounds.json`, read into
typed, immutable records.

The file holds each round's dates, budget, criteria and submitted ideas, the assessors'
comments by score level and the coordinator's decision messages; `past_rounds` replays them
through the grants services. Money and weights are JSON strings, read as exact decimals ("6500.00"
stays Decimal("6500.00"); a JSON number with a fraction would be read exactly too, never as a
binary float); dates are ISO dates. An idea's optional fields (`conflict`, `disputed`, `award`)
and a budget line's `own_contribution` may be left out; any other field missing from a round,
criterion, idea, budget line or conflict, or one they do not know, stops the load with a
ValueError naming the file, so a typo in the data never passes silently.
"""

import functools
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

PAST_ROUNDS_FILE = Path(__file__).resolve().parent.parent / "data" / "past_rounds.json"


@dataclass(frozen=True)
class PastCriterion:
    title: str
    max_points: int
    weight: Decimal
    guidance: str


@dataclass(frozen=True)
class PastBudgetLine:
    item: str
    category: str
    quantity: Decimal
    unit_price: Decimal
    own_contribution: Decimal = Decimal(0)


@dataclass(frozen=True)
class DeclaredConflict:
    """Assessor number `assessor` (0–2, in DEMO_ASSESSORS order) declares a conflict."""

    assessor: int
    reason: str


@dataclass(frozen=True)
class PastIdea:
    """One past application. `quality` (0–100) is where the assessors' points centre;
    `conflict` is an assessor who declares a conflict of interest; `disputed` makes the third
    assessor score far lower (the ranking flags the disagreement); `award` is a partial award,
    below the request."""

    community: str
    title: str
    summary: str
    activities: str
    partners: str
    participants: int
    groups: tuple[str, ...]
    lines: tuple[PastBudgetLine, ...]
    quality: int
    conflict: DeclaredConflict | None = None
    disputed: bool = False
    award: Decimal | None = None


@dataclass(frozen=True)
class PastRound:
    """A past round; the top `supported` of its ranking were supported, the next `reserve` put
    on the reserve list, the rest not supported."""

    year: int
    opens: date
    closes: date
    budget: Decimal
    max_grant: Decimal
    supported: int
    reserve: int
    summary: str
    criteria: tuple[PastCriterion, ...]
    ideas: tuple[PastIdea, ...]


@dataclass(frozen=True)
class PastRoundsData:
    rounds: tuple[PastRound, ...]
    # Assessors' comments by how a criterion was scored: "high", "mid" or "low".
    score_comments: dict[str, tuple[str, ...]]
    # The coordinator's message by decision value ("supported", "reserve", "not_supported").
    decision_messages: dict[str, str]
    partial_award_message: str


def _decimal(value) -> Decimal:
    # Decimal: a JSON number with a fraction (json.load's parse_float below).
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise TypeError(f"a decimal must be a string or a number, not {value!r}")
    return Decimal(value)


def _line(fields: dict) -> PastBudgetLine:
    return PastBudgetLine(
        **{
            **fields,
            "quantity": _decimal(fields["quantity"]),
            "unit_price": _decimal(fields["unit_price"]),
            "own_contribution": _decimal(fields.get("own_contribution", 0)),
        }
    )


def _idea(fields: dict) -> PastIdea:
    conflict, award = fields.get("conflict"), fields.get("award")
    return PastIdea(
        **{
            **fields,
            "groups": tuple(fields["groups"]),
            "lines": tuple(_line(line) for line in fields["lines"]),
            "conflict": DeclaredConflict(**conflict) if conflict is not None else None,
            "award": _decimal(award) if award is not None else None,
        }
    )


def _round(fields: dict) -> PastRound:
    return PastRound(
        **{
            **fields,
            "opens": date.fromisoformat(fields["opens"]),
            "closes": date.fromisoformat(fields["closes"]),
            "budget": _decimal(fields["budget"]),
            "max_grant": _decimal(fields["max_grant"]),
            "criteria": tuple(
                PastCriterion(**{**criterion, "weight": _decimal(criterion["weight"])})
                for criterion in fields["criteria"]
            ),
            "ideas": tuple(_idea(idea) for idea in fields["ideas"]),
        }
    )


def read_past_rounds(path: Path = PAST_ROUNDS_FILE) -> PastRoundsData:
    """The records of the data file at `path`; a malformed file raises ValueError naming it."""
    try:
        with path.open(encoding="utf-8") as handle:
            # No binary floats: a number with a fraction is read as an exact decimal.
            data = json.load(handle, parse_float=Decimal)
        return PastRoundsData(
            rounds=tuple(_round(spec) for spec in data["rounds"]),
            score_comments={level: tuple(c) for level, c in data["score_comments"].items()},
            decision_messages=dict(data["decision_messages"]),
            partial_award_message=data["partial_award_message"],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error!r}") from error


@functools.cache
def past_rounds_data() -> PastRoundsData:
    """The project's data file, read once per process."""
    return read_past_rounds()
