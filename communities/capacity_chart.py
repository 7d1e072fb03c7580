"""The radar chart of a community's capacity results, drawn on the server as SVG (issue 16).

Every shape's coordinates are computed here; the template only writes them out. Rounds are told
apart without colour as well: each has its own dash pattern and marker shape, named in the
legend, and the chart's <desc> repeats the levels in words. The data table on the same page
comes first and holds the same numbers.
"""

import math
from dataclasses import dataclass

from .models import CAPACITY_LEVELS, AssessmentRound, CapacityDimension

SIZE = 400
CENTRE = 200.0
RADIUS = 140.0
LEGEND_TOP = 390
LEGEND_STEP = 26

# (colour, dash pattern or "", marker) per charted round, the latest first: dark blue solid
# circles, then orange dashed squares, then green dotted triangles.
STYLES = [
    ("#1d4ed8", "", "circle"),
    ("#b45309", "8 5", "square"),
    ("#047857", "2 4", "triangle"),
]


@dataclass
class Marker:
    shape: str
    x: float
    y: float

    @property
    def corner_x(self) -> float:
        return round(self.x - 5, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 5, 1)

    @property
    def triangle(self) -> str:
        return _points([(self.x, self.y - 6), (self.x + 6, self.y + 5), (self.x - 6, self.y + 5)])


@dataclass
class Series:
    round: AssessmentRound
    colour: str
    dash: str
    points: str
    markers: list[Marker]
    legend_y: float
    legend_marker: Marker
    # (number, dimension title, level or None) in the axes' order, for the chart's <desc>.
    levels: list[tuple[int, str, int | None]]


@dataclass
class Axis:
    number: int
    x: float
    y: float
    label_x: float
    label_y: float


@dataclass
class Chart:
    size: int
    height: int
    centre: float
    rings: list[str]
    axes: list[Axis]
    series: list[Series]


def _point(index: int, count: int, distance: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count
    return CENTRE + distance * math.sin(angle), CENTRE - distance * math.cos(angle)


def _points(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(
    *,
    dimensions: list[CapacityDimension],
    rounds: list[AssessmentRound],
    levels: dict[int, dict[int, int]],
) -> Chart:
    """A ring per level, an axis per dimension (numbered as in the table) and a polygon per
    round through its consensus levels; a dimension without a consensus has no point."""
    count = len(dimensions)
    top = CAPACITY_LEVELS[-1]
    rings = [
        _points(_point(index, count, RADIUS * level / top) for index in range(count))
        for level in CAPACITY_LEVELS
    ]
    axes = []
    for index in range(count):
        x, y = _point(index, count, RADIUS)
        label_x, label_y = _point(index, count, RADIUS + 16)
        axes.append(
            Axis(index + 1, round(x, 1), round(y, 1), round(label_x, 1), round(label_y + 5, 1))
        )
    series = []
    for position, round_ in enumerate(reversed(rounds)):
        colour, dash, shape = STYLES[position % len(STYLES)]
        points = []
        described = []
        for index, dimension in enumerate(dimensions):
            level = levels.get(round_.pk, {}).get(dimension.pk)
            described.append((index + 1, dimension.title, level))
            if level is not None:
                points.append(_point(index, count, RADIUS * level / top))
        legend_y = LEGEND_TOP + position * LEGEND_STEP
        series.append(
            Series(
                round=round_,
                colour=colour,
                dash=dash,
                points=_points(points),
                markers=[Marker(shape, round(x, 1), round(y, 1)) for x, y in points],
                legend_y=legend_y,
                legend_marker=Marker(shape, 40, legend_y),
                levels=described,
            )
        )
    height = LEGEND_TOP + len(series) * LEGEND_STEP
    return Chart(size=SIZE, height=height, centre=CENTRE, rings=rings, axes=axes, series=series)
