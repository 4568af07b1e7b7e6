"""Pure price arithmetic on Decimals: blended prices, the cheapest offering, "X% less".

A blended price weighs input and output prices by the share of input tokens; the default
share is a site setting (70%) and a visitor may choose another.
"""

from __future__ import annotations

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


def _lowest(offerings: Iterable[OfferingFacts], input_share: Decimal) -> OfferingFacts | None:
    # Ties go to the provider name, so the answer does not depend on row order.
    candidates = sorted(offerings, key=lambda o: (offering_blend(o, input_share), o.provider_name))
    return candidates[0] if candidates else None


def cheapest_realtime(
    offerings: Iterable[OfferingFacts], input_share: Decimal
) -> OfferingFacts | None:
    """The current, real-time (not batch), paid offering with the lowest blended price."""
    return _lowest(
        (o for o in offerings if o.is_current and not o.is_batch and not o.free_tier),
        input_share,
    )


def cheapest_batch(
    offerings: Iterable[OfferingFacts], input_share: Decimal
) -> OfferingFacts | None:
    return _lowest(
        (o for o in offerings if o.is_current and o.is_batch and not o.free_tier), input_share
    )


def free_tiers(offerings: Iterable[OfferingFacts]) -> tuple[OfferingFacts, ...]:
    return tuple(o for o in offerings if o.is_current and o.free_tier)


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
