from __future__ import annotations

import datetime
from decimal import Decimal

from comparisons.charts import benchmark_bars, price_score_scatter, price_steps

D = Decimal


def test_bars_scale_to_100_and_mark_missing():
    chart = benchmark_bars([("MMLU", D("20"), D("80")), ("AIME", None, D("90"))], ("A", "B"))
    first, second = chart.groups
    assert first.bars[1].width == 4 * first.bars[0].width
    assert second.bars[0].width == 0 and second.bars[0].value_text == "not yet sourced"
    assert second.bars[1].value_text == "90"


def test_bars_need_a_score():
    assert benchmark_bars([("X", None, None)], ("A", "B")) is None


def test_scatter_log_price_axis():
    chart = price_score_scatter(
        [("cheap", D("0.1"), D("50")), ("dear", D("10"), D("90"))], "score", "price"
    )
    cheap, dear = chart.dots
    assert cheap.x < dear.x and cheap.y > dear.y  # SVG y grows downward
    assert [t.text for t in chart.x_ticks] == ["$0.10", "$1.00", "$10.00"]


def test_scatter_skips_free_and_needs_two_points():
    assert price_score_scatter([("a", D("0"), D("1")), ("b", D("1"), D("2"))], "s", "p") is None


def test_steps_hold_each_price_until_the_next():
    jan, jun, today = (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 6, 1),
        datetime.date(2025, 12, 31),
    )
    chart = price_steps({"Host": [(jan, D("2")), (jun, D("1"))]}, today)
    points = [tuple(map(float, p.split(","))) for p in chart.lines[0].points.split()]
    assert len(points) == 4
    assert points[0][1] == points[1][1]  # flat until June
    assert points[1][0] == points[2][0]  # then a vertical step
    assert points[2][1] > points[0][1]  # to a lower price (larger y)


def test_steps_need_a_change():
    assert (
        price_steps({"Host": [(datetime.date(2025, 1, 1), D("1"))]}, datetime.date(2025, 2, 1))
        is None
    )
