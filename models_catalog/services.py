"""Writes that span several rows: recovering a deleted model from its edit history."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F

from models_catalog.models import (
    ComparisonViews,
    LanguageModel,
    Offering,
    PriceHistory,
    Score,
)

# Rows deleted along with a model are recorded a moment before it (they go first).
CASCADE_WINDOW = datetime.timedelta(minutes=1)


class RecoveryError(Exception):
    pass


def deleted_models():
    """The latest deletion record of each model that no longer exists, newest first."""
    existing = LanguageModel.objects.values("pk")
    return (
        LanguageModel.history.filter(history_type="-")
        .exclude(id__in=existing)
        .select_related("history_user")
        .order_by("-history_date")
    )


@transaction.atomic
def recover_deleted_model(history_id: int, reason: str) -> LanguageModel:
    """Restore a deleted model as it was, with the offerings, price history and scores that
    were deleted with it."""
    record = LanguageModel.history.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise RecoveryError("No deletion with that id is recorded.")
    if LanguageModel.objects.filter(pk=record.id).exists():
        raise RecoveryError(f"{record.name} exists already; there is nothing to recover.")
    window = (record.history_date - CASCADE_WINDOW, record.history_date)
    model = record.instance
    if model.successor_id and not LanguageModel.objects.filter(pk=model.successor_id).exists():
        model.successor = None
    model._change_reason = reason
    model.save(force_insert=True)
    offerings = Offering.history.filter(
        language_model_id=record.id, history_type="-", history_date__range=window
    )
    offering_ids = []
    for past in offerings:
        offering = past.instance
        offering._change_reason = reason
        offering.save(force_insert=True)
        offering_ids.append(offering.pk)
    for past in PriceHistory.history.filter(
        offering_id__in=offering_ids, history_type="-", history_date__range=window
    ):
        row = past.instance
        row._change_reason = reason
        row.save(force_insert=True)
    for past in Score.history.filter(
        language_model_id=record.id, history_type="-", history_date__range=window
    ):
        score = past.instance
        score._change_reason = reason
        score.save(force_insert=True)
    return model


def count_comparison_view(*, pair: str) -> None:
    """Add one to a comparison page's aggregated view counter (no data about the viewer).

    Not catalog data: the catalog version is left alone, so counting never empties a cache.
    """
    if not ComparisonViews.objects.filter(pair=pair).update(views=F("views") + 1):
        _, created = ComparisonViews.objects.get_or_create(pair=pair, defaults={"views": 1})
        if not created:  # another request created it a moment ago
            ComparisonViews.objects.filter(pair=pair).update(views=F("views") + 1)
