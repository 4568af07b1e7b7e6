from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comparisons import formatting as fmt


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("2"), "$2.00"),
        (Decimal("2.000000"), "$2.00"),
        (Decimal("5.5"), "$5.50"),
        (Decimal("1.875"), "$1.88"),
        (Decimal("0.5"), "$0.50"),
        (Decimal("0.125"), "$0.125"),
        (Decimal("0.03"), "$0.03"),
        (Decimal("0.075"), "$0.075"),
        (Decimal("0.0375"), "$0.0375"),
        (Decimal("0.07125"), "$0.0713"),
        (Decimal("0.000001"), "$0.000001"),
        (Decimal("1250"), "$1,250.00"),
        (Decimal("0"), "$0.00"),
        (None, "not yet sourced"),
    ],
)
def test_usd(value, text):
    assert fmt.usd(value) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (128_000, "128K"),
        (200_000, "200K"),
        (1_000_000, "1M"),
        (1_048_576, "1M"),
        (131_072, "128K"),
        (262_144, "256K"),
        (2_097_152, "2M"),
        (32_768, "32K"),
        (8_192, "8K"),
        (1_050_000, "1.05M"),
        (163_840, "160K"),
        (1_047_576, "1M"),
        (65_536, "64K"),
        (40_960, "40K"),
        (512, "512"),
        (None, "not yet sourced"),
    ],
)
def test_tokens(count, text):
    assert fmt.tokens(count) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1_230_000_000, "1.23B"),
        (70_000_000_000, "70B"),
        (671_000_000_000, "671B"),
        (1_000_000_000_000, "1T"),
        (None, "not yet sourced"),
    ],
)
def test_parameters(count, text):
    assert fmt.parameters(count) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("96.84"), "97%"),
        (Decimal("50"), "50%"),
        (Decimal("4.26"), "4.3%"),
        (Decimal("99.6"), "99.6%"),
        (Decimal("99.96"), "99.9%"),
        (Decimal("99.999"), "99.9%"),
    ],
)
def test_percent_less_never_reads_100(value, text):
    assert fmt.percent_less(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("31.666"), "31.7×"), (Decimal("2"), "2×"), (Decimal("250.4"), "250×")],
)
def test_times(value, text):
    assert fmt.times(value) == text


def test_points_and_scores():
    assert fmt.points(Decimal("63.200")) == "63.2 points"
    assert fmt.points(Decimal("-1")) == "1 point"
    assert fmt.score(Decimal("20.000")) == "20"
    assert fmt.score(None) == "not yet sourced"


def test_dates():
    assert fmt.day(datetime.date(2024, 9, 25)) == "2024-09-25"
    assert fmt.month(datetime.date(2023, 12, 1)) == "2023-12"
    assert fmt.day(None) == fmt.month(None) == "not yet sourced"


def test_human_list():
    assert fmt.human_list([]) == ""
    assert fmt.human_list(["a"]) == "a"
    assert fmt.human_list(["a", "b"]) == "a and b"
    assert fmt.human_list(["a", "b", "c"]) == "a, b, and c"
