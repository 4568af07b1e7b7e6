"""Pure formatting of numbers and dates for reading: money, token and parameter counts, percentages.

Rounding here is for reading only; every comparison is computed on exact Decimals first.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

NOT_SOURCED = "not yet sourced"


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 20.000 → "20", 0.0750 → "0.075"."""
    text = f"{value.normalize():f}"
    return text


@lru_cache(maxsize=4096)
def usd(value: Decimal | None) -> str:
    """The one rule for prices, in tables and prose alike: always cents, and below a dollar
    three significant digits when the price has them: $2.00, $5.50, $0.50, $0.125, $0.0713.
    Remembered: a page prints the same few prices many times, and Decimal's rounding is slow
    (equal Decimals, such as 2.5 and 2.50, read the same)."""
    if value is None:
        return NOT_SOURCED
    if value >= 1 or value <= 0:
        return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    three = value.quantize(Decimal(1).scaleb(value.adjusted() - 2), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{three:f}".partition(".")
    decimals = decimals.rstrip("0").ljust(2, "0")
    return f"${whole}.{decimals}"


def usd_per_mtok(value: Decimal | None) -> str:
    if value is None:
        return NOT_SOURCED
    return f"{usd(value)}/1M tokens"


def _compact(number: float, units: tuple[tuple[float, str], ...]) -> str:
    for size, suffix in units:
        if number >= size:
            scaled = number / size
            # Three significant digits are enough to read and to compare.
            digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
            text = f"{scaled:.{digits}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{number:,.0f}"


# Remembered, as usd() is: a page prints the same few counts and months several times.
@lru_cache(maxsize=4096)
def tokens(count: int | None) -> str:
    """Token counts as vendors write them: 128000 → "128K", 131072 → "128K", 1048576 → "1M".

    A whole number of thousands reads in decimal units (1050000 → "1.05M"). Otherwise a count
    within 0.5% of a whole number of 2^20, 10^6, 2^10 or 10^3 reads as that number (OpenAI's
    1,047,576 is "1M", 2^17 is "128K"); tables give the exact figure in a title (tokens_exact).
    """
    if count is None:
        return NOT_SOURCED
    if count % 1000 == 0:
        return _compact(count, ((1_000_000, "M"), (1_000, "K")))
    for unit, suffix in ((1 << 20, "M"), (1_000_000, "M"), (1 << 10, "K"), (1_000, "K")):
        whole = round(count / unit)
        if whole >= 1 and abs(count - whole * unit) <= count * 0.005:
            return f"{whole}{suffix}"
    return _compact(count, ((1_000_000, "M"), (1_000, "K")))


def tokens_exact(count: int | None) -> str:
    """131072 → "131,072 tokens"."""
    if count is None:
        return NOT_SOURCED
    return f"{count:,} tokens"


@lru_cache(maxsize=4096)
def parameters(count: int | None) -> str:
    """1230000000 → "1.23B"."""
    if count is None:
        return NOT_SOURCED
    return _compact(count, ((1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M")))


def percent_less(value: Decimal) -> str:
    """A "costs X% less" figure, rounded for reading but never up to 100%."""
    places = Decimal("1") if value >= 10 else Decimal("0.1")
    rounded = value.quantize(places, rounding=ROUND_HALF_UP)
    if rounded >= 100:
        rounded = value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        if rounded >= 100:
            return "over 99.9%"
    return f"{_plain(rounded)}%"


def times(value: Decimal) -> str:
    """A ratio: 16.666 → "16.7×", 250.4 → "250×"."""
    places = Decimal("0.1") if value < 100 else Decimal("1")
    return f"{_plain(value.quantize(places, rounding=ROUND_HALF_UP))}×"


def score(value: Decimal | None) -> str:
    if value is None:
        return NOT_SOURCED
    return _plain(value)


def points(value: Decimal) -> str:
    text = _plain(abs(value))
    return f"{text} point" if text == "1" else f"{text} points"


def share(value: int) -> str:
    """An input share in percent as a blend: 70 → "70/30"."""
    return f"{value}/{100 - value}"


def day(value: datetime.date | None) -> str:
    if value is None:
        return NOT_SOURCED
    return value.isoformat()


@lru_cache(maxsize=4096)
def month(value: datetime.date | None) -> str:
    if value is None:
        return NOT_SOURCED
    return value.strftime("%Y-%m")


def year(value: datetime.date | None) -> str:
    return NOT_SOURCED if value is None else str(value.year)


def human_list(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def prices_checked(checked: list[datetime.date | None] | tuple[datetime.date | None, ...]) -> str:
    """When the prices shown were last checked against their sources, for a table's caption.

    `checked` holds each still-listed offering's `checked_on` (None: never checked). The oldest
    check is named, so "checked on D" holds for every price it covers.
    """
    if not checked:
        return ""
    dates = sorted(d for d in checked if d is not None)
    if not dates:
        return "Prices not yet checked against their sources."
    span = (
        day(dates[0]) if dates[0] == dates[-1] else f"between {day(dates[0])} and {day(dates[-1])}"
    )
    if len(dates) == len(checked):
        return f"Prices checked on {span}." if dates[0] == dates[-1] else f"Prices checked {span}."
    unchecked = len(checked) - len(dates)
    when = f"on {span}" if dates[0] == dates[-1] else span
    return (
        f"{len(dates)} of {len(checked)} prices checked against their sources {when}; "
        f"{unchecked} not yet checked."
    )
