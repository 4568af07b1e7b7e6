"""Pure geometry for the inline SVG charts: numbers in, coordinates and labels out.

Templates draw the shapes; each chart sits beside the table that holds its numbers, which is
its text alternative.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons import formatting as fmt

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 14


def svg_number(value: float) -> str:
    """A coordinate as SVG text, to a tenth of a unit: formatted here because a template's
    number filters cost more than the rest of a chart."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    series: int  # 0: first model, 1: second
    value_text: str
    text_x: float

    @property
    def svg(self) -> dict[str, str]:
        """The bar's coordinates as SVG text; its value label is centred on the bar."""
        return {
            "y": svg_number(self.y),
            "width": svg_number(self.width),
            "text_x": svg_number(self.text_x),
            "text_y": svg_number(self.y + BAR_HEIGHT / 2),
        }


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: tuple[Bar, ...]

    @property
    def label_y_svg(self) -> str:
        return svg_number(self.label_y)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    groups: tuple[BarGroup, ...]
    series_names: tuple[str, str]

    @property
    def label_end(self) -> int:
        """Where the benchmarks' names end, a little left of the bars."""
        return self.label_width - 8


# Longer benchmark names would run into the bars; the table below gives them in full.
LABEL_CHARS = 30


def _shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def benchmark_bars(
    rows: Sequence[tuple[str, Decimal | None, Decimal | None]],
    series_names: tuple[str, str],
    scale_max: Decimal = Decimal(100),
) -> BarChart | None:
    """Grouped horizontal bars, one group per benchmark, on a 0..scale_max axis."""
    rows = [row for row in rows if row[1] is not None or row[2] is not None]
    if not rows:
        return None
    top = max([scale_max, *(v for _, a, b in rows for v in (a, b) if v is not None)])
    plot = WIDTH - LABEL_WIDTH - 60
    groups = []
    y = 0.0
    for label, *values in rows:
        bars = []
        for series, value in enumerate(values):
            bar_y = y + series * (BAR_HEIGHT + BAR_GAP)
            if value is None:
                bars.append(Bar(bar_y, 0, series, fmt.NOT_SOURCED, LABEL_WIDTH + 4))
                continue
            width = float(value / top) * plot if top else 0
            bars.append(Bar(bar_y, width, series, fmt.score(value), LABEL_WIDTH + width + 4))
        groups.append(BarGroup(_shortened(label), y + BAR_HEIGHT + BAR_GAP / 2, tuple(bars)))
        y += 2 * BAR_HEIGHT + BAR_GAP + GROUP_GAP
    return BarChart(WIDTH, int(y), LABEL_WIDTH, tuple(groups), series_names)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    title: str
    mark: str = ""  # printed beside the dot, e.g. the model's rank in the table below

    @property
    def x_svg(self) -> str:
        return svg_number(self.x)

    @property
    def y_svg(self) -> str:
        return svg_number(self.y)


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Scatter:
    width: int
    height: int
    left: int
    bottom: int
    dots: tuple[Dot, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_label: str
    y_label: str


def price_score_scatter(
    points: Sequence[tuple[str, Decimal, Decimal]],
    y_label: str,
    x_label: str,
    marks: Sequence[str] | None = None,
) -> Scatter | None:
    """Score (y, linear) against blended price (x, logarithmic: prices span 1000×).

    `marks`, one per point, are printed beside the dots so a reader can find each in a list.
    """
    marked = zip(points, marks or [""] * len(points), strict=True)
    kept = [(point, mark) for point, mark in marked if point[1] > 0]
    points = [point for point, _ in kept]
    marks = [mark for _, mark in kept]
    if len(points) < 2:
        return None
    width, height, left, bottom, top_pad, right_pad = WIDTH, 360, 56, 40, 12, 16
    logs = [math.log10(float(price)) for _, price, _ in points]
    lo, hi = math.floor(min(logs)), math.ceil(max(logs))
    if lo == hi:
        hi = lo + 1
    scores = [float(score) for _, _, score in points]
    y_lo, y_hi = 0.0, max(100.0, max(scores))
    plot_w, plot_h = width - left - right_pad, height - bottom - top_pad

    def x_at(log: float) -> float:
        return left + (log - lo) / (hi - lo) * plot_w

    def y_at(value: float) -> float:
        return top_pad + plot_h - (value - y_lo) / (y_hi - y_lo) * plot_h

    dots = tuple(
        Dot(
            x_at(log),
            y_at(float(score)),
            name,
            f"{name}: {fmt.score(score)} at {fmt.usd(price)}/1M blended",
            mark,
        )
        for (name, price, score), log, mark in zip(points, logs, marks, strict=True)
    )
    x_ticks = tuple(Tick(x_at(exp), fmt.usd(Decimal(10) ** exp)) for exp in range(lo, hi + 1))
    y_ticks = tuple(Tick(y_at(v), str(int(v))) for v in range(0, int(y_hi) + 1, 20))
    return Scatter(width, height, left, bottom, dots, x_ticks, y_ticks, x_label, y_label)


@dataclass(frozen=True)
class StepLine:
    label: str
    points: str  # SVG polyline points
    series: int


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    left: int
    lines: tuple[StepLine, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def price_steps(
    series: dict[str, list[tuple[datetime.date, Decimal]]], today: datetime.date
) -> StepChart | None:
    """One step line per provider: each price holds from its date until the next change."""
    dated = {name: sorted(points) for name, points in series.items() if points}
    if not dated or not any(len(points) > 1 for points in dated.values()):
        return None  # no price has changed: a chart would show only flat lines
    width, height, left, bottom, top_pad, right_pad = WIDTH, 240, 64, 28, 10, 16
    start = min(points[0][0] for points in dated.values())
    end = max(today, max(points[-1][0] for points in dated.values()))
    span = max((end - start).days, 1)
    top = max(price for points in dated.values() for _, price in points) or Decimal(1)
    plot_w, plot_h = width - left - right_pad, height - bottom - top_pad

    def x_at(day: datetime.date) -> float:
        return left + (day - start).days / span * plot_w

    def y_at(price: Decimal) -> float:
        return top_pad + plot_h - float(price / top) * plot_h

    lines = []
    for index, (name, points) in enumerate(sorted(dated.items())):
        coords = []
        for (day, price), following in zip(points, [*points[1:], (end, None)], strict=True):
            coords.append((x_at(day), y_at(price)))
            coords.append((x_at(following[0]), y_at(price)))
        lines.append(StepLine(name, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords), index % 6))
    x_ticks = (Tick(x_at(start), start.isoformat()), Tick(x_at(end), end.isoformat()))
    y_ticks = (Tick(y_at(Decimal(0)), "$0"), Tick(y_at(top), fmt.usd(top)))
    return StepChart(width, height, left, tuple(lines), x_ticks, y_ticks)
