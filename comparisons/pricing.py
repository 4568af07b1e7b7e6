"""Pure price arithmetic on Decimals: blended prices, the cheapest offering, "X% less".

A blended price weighs input and output prices by the share of input tokens; the default
share is a site setting (70%) and a visitor may choose another.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from comparisons.facts import OfferingFacts

HUNDRED = Decimal(100)


def blended_price(input_price: Decimal, output_price: Decimal, input_share: Decimal) -> Decimal:
    """USD per 1M tokens when `input_share` (0..1) of the tokens are input tokens."""
    return input_price * input_share + output_price * (1 - input_share)


def offering_blend(offering: OfferingFacts, input_share: Decimal) -> Decimal:
    return blended_price(offering.input_usd_per_mtok, offering.output_usd_per_mtok, input_share)


# Blends within a cent of each other are a tie: the maker's own API is then named first.
TIE = Decimal("0.01")


def is_realtime_paid(offering: OfferingFacts, today: datetime.date) -> bool:
    """Still listed, real-time (not batch), paid (not a free tier), not ended at the provider.

    The one rule for what counts as availability and what may be "cheapest"."""
    return (
        offering.is_current
        and not offering.is_batch
        and not offering.free_tier
        and not offering.has_ended(today)
    )


def can_headline(offering: OfferingFacts, today: datetime.date) -> bool:
    """May be quoted as the cheapest price: real-time, paid, and its source shows the price."""
    return is_realtime_paid(offering, today) and offering.source_shows_price


@dataclass(frozen=True)
class CheapestOffer:
    """The offering a page headlines, its blend, and other hosts charging the same (±1 cent)."""

    offering: OfferingFacts
    blend: Decimal
    same_price_on: tuple[str, ...] = ()


def _cheapest(
    offerings: Iterable[OfferingFacts], input_share: Decimal, maker: str
) -> CheapestOffer | None:
    priced = [(offering_blend(o, input_share), o) for o in offerings]
    if not priced:
        return None
    low = min(blend for blend, _ in priced)
    tied = [(blend, o) for blend, o in priced if blend - low < TIE]
    # The maker's own API first, then the lower blend, then the name (never the row order).
    tied.sort(key=lambda row: (not row[1].is_first_party_for(maker), row[0], row[1].provider_name))
    blend, chosen = tied[0]
    others = tuple(
        dict.fromkeys(
            o.provider_name for _, o in tied[1:] if o.provider_name != chosen.provider_name
        )
    )
    return CheapestOffer(chosen, blend, others)


def cheapest_offer(
    offerings: Iterable[OfferingFacts],
    input_share: Decimal,
    *,
    today: datetime.date,
    maker: str = "",
) -> CheapestOffer | None:
    """The headline price: the cheapest offering that `can_headline`, the maker's (organization
    slug `maker`) own API on a tie, with the other hosts of the same price."""
    return _cheapest((o for o in offerings if can_headline(o, today)), input_share, maker)


def cheapest_realtime(
    offerings: Iterable[OfferingFacts],
    input_share: Decimal,
    *,
    today: datetime.date,
    maker: str = "",
) -> OfferingFacts | None:
    """The offering of `cheapest_offer`, for pages that quote only its prices."""
    found = cheapest_offer(offerings, input_share, today=today, maker=maker)
    return found.offering if found else None


def cheapest_batch(
    offerings: Iterable[OfferingFacts], input_share: Decimal, *, today: datetime.date
) -> OfferingFacts | None:
    found = _cheapest(
        (
            o
            for o in offerings
            if o.is_current and o.is_batch and not o.free_tier and not o.has_ended(today)
        ),
        input_share,
        "",
    )
    return found.offering if found else None


def free_tiers(
    offerings: Iterable[OfferingFacts], today: datetime.date
) -> tuple[OfferingFacts, ...]:
    return tuple(o for o in offerings if o.is_current and o.free_tier and not o.has_ended(today))


def realtime_hosts(offerings: Iterable[OfferingFacts], today: datetime.date) -> tuple[str, ...]:
    """Distinct real-time paid hosts, in the order given: what "N providers" counts."""
    return tuple(dict.fromkeys(o.provider_name for o in offerings if is_realtime_paid(o, today)))


@dataclass(frozen=True)
class PriceGap:
    """How much less the cheaper price costs.

    `percent_less` = (1 − cheaper/dearer) × 100, always below 100 for a paid cheaper price;
    `times` = dearer / cheaper, None when the cheaper price is 0 (no finite ratio).
    """

    percent_less: Decimal
    times: Decimal | None


def price_gap(cheaper: Decimal, dearer: Decimal) -> PriceGap | None:
    """None when the prices are equal or `dearer` is not the higher one."""
    if dearer <= cheaper or dearer <= 0:
        return None
    percent = (1 - cheaper / dearer) * HUNDRED
    times = dearer / cheaper if cheaper > 0 else None
    return PriceGap(percent_less=percent, times=times)


def parse_input_share(raw: str | None, default: int) -> tuple[int, bool]:
    """The visitor's input share in whole percent (1..99), and whether their value was refused."""
    if raw is None or raw == "":
        return default, False
    try:
        value = int(raw)
    except ValueError:
        return default, True
    if not 1 <= value <= 99:
        return default, True
    return value, False


@dataclass(frozen=True)
class InputShare:
    """The share of input tokens in a blend, in whole percent (1..99): 70 → 70/30."""

    percent: int

    def __post_init__(self) -> None:
        if not 1 <= self.percent <= 99:
            raise ValueError(f"An input share is a whole percent from 1 to 99, not {self.percent}.")

    @property
    def fraction(self) -> Decimal:
        return Decimal(self.percent) / HUNDRED

    @property
    def output_percent(self) -> int:
        return 100 - self.percent

    @property
    def label(self) -> str:
        return f"{self.percent}/{self.output_percent}"


# How a price gap reads: below SAME_PRICE_PERCENT less, "about the same price"; a ratio is
# quoted ("N× as much") only from MIN_TIMES up, where it says more than the percentage.
SAME_PRICE_PERCENT = Decimal(3)
MIN_TIMES = Decimal("1.15")
