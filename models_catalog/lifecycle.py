"""A model's place in its lifecycle on a given day: active, deprecated or retired.

Pure (no Django), so pages, selectors and tests share one rule and pass `today` explicitly.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass


class Stage(enum.Enum):
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


@dataclass(frozen=True)
class LifecycleStatus:
    """Where a model stands on `today`.

    `retires_on` is the announced retirement date while the model is deprecated (None when the
    maker gave none); `retired_on` is set once that day has come.
    """

    stage: Stage
    deprecated_on: datetime.date | None = None
    retires_on: datetime.date | None = None
    retired_on: datetime.date | None = None

    @property
    def is_active(self) -> bool:
        return self.stage is Stage.ACTIVE

    @property
    def is_retired(self) -> bool:
        return self.stage is Stage.RETIRED

    @property
    def is_deprecated(self) -> bool:
        return self.stage is Stage.DEPRECATED


def lifecycle_status(
    *,
    deprecated_on: datetime.date | None,
    retired_on: datetime.date | None,
    today: datetime.date,
) -> LifecycleStatus:
    """Retired from `retired_on` on; deprecated from `deprecated_on` (or once a retirement date
    is announced) until then; active otherwise."""
    if retired_on is not None and retired_on <= today:
        return LifecycleStatus(Stage.RETIRED, deprecated_on=deprecated_on, retired_on=retired_on)
    announced = deprecated_on is not None and deprecated_on <= today
    if announced or retired_on is not None:
        return LifecycleStatus(Stage.DEPRECATED, deprecated_on=deprecated_on, retires_on=retired_on)
    return LifecycleStatus(Stage.ACTIVE)


def has_ended(ended_on: datetime.date | None, today: datetime.date) -> bool:
    """An offering whose model the provider retired on `ended_on` is gone from that day on."""
    return ended_on is not None and ended_on <= today
