from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comparisons.facts import OfferingFacts
from comparisons.pricing import (
    blended_price,
    cheapest_batch,
    cheapest_realtime,
    free_tiers,
    parse_input_share,
    price_gap,
)

D = Decimal
SHARE = D("0.7")
TODAY = datetime.date(2026, 11, 29)


def offer(name, input_price, output_price, kind="inference", **extra) -> OfferingFacts:
    return OfferingFacts(name.lower(), name, kind, D(input_price), D(output_price), **extra)


def test_blend_is_weighted_by_input_share():
    assert blended_price(D("1"), D("4"), SHARE) == D("1.9")
    assert blended_price(D("1"), D("4"), D("0.5")) == D("2.5")


def test_cheapest_skips_batch_free_and_delisted():
    offers = [
        offer("Batch", "0.1", "0.1", kind="batch"),
        offer("Free", "0", "0", free_tier=True),
        offer("Gone", "0.2", "0.2", is_current=False),
        offer("Dear", "3", "15"),
        offer("Cheap", "1", "4"),
    ]
    assert cheapest_realtime(offers, SHARE, today=TODAY).provider_name == "Cheap"
    assert cheapest_batch(offers, SHARE, today=TODAY).provider_name == "Batch"
    assert [o.provider_name for o in free_tiers(offers, TODAY)] == ["Free"]


def test_cheapest_depends_on_the_blend():
    input_heavy = offer("LowInput", "0.1", "10")
    output_heavy = offer("LowOutput", "2", "2")
    assert (
        cheapest_realtime([input_heavy, output_heavy], D("0.9"), today=TODAY).provider_name
        == "LowInput"
    )
    assert (
        cheapest_realtime([input_heavy, output_heavy], D("0.1"), today=TODAY).provider_name
        == "LowOutput"
    )


def test_cheapest_tie_goes_to_provider_name():
    assert (
        cheapest_realtime(
            [offer("B", "1", "1"), offer("A", "1", "1")], SHARE, today=TODAY
        ).provider_name
        == "A"
    )


def test_no_offerings():
    assert cheapest_realtime([], SHARE, today=TODAY) is None
    assert cheapest_batch([offer("X", "1", "1")], SHARE, today=TODAY) is None


def test_price_gap():
    gap = price_gap(D("0.06"), D("1.9"))
    assert gap.percent_less == (1 - D("0.06") / D("1.9")) * 100
    assert gap.times == D("1.9") / D("0.06")
    assert gap.percent_less < 100


def test_price_gap_free_cheaper_side_has_no_ratio():
    gap = price_gap(D("0"), D("2"))
    assert gap.percent_less == 100 and gap.times is None


def test_price_gap_equal_or_reversed():
    assert price_gap(D("1"), D("1")) is None
    assert price_gap(D("2"), D("1")) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (70, False)),
        ("", (70, False)),
        ("50", (50, False)),
        ("1", (1, False)),
        ("99", (99, False)),
        ("0", (70, True)),
        ("100", (70, True)),
        ("-5", (70, True)),
        ("abc", (70, True)),
        ("50.5", (70, True)),
    ],
)
def test_parse_input_share(raw, expected):
    assert parse_input_share(raw, 70) == expected
