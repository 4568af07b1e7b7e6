"""Writes that span several rows, each validated before the database sees it.

Views, admin actions and commands call these instead of writing rows themselves, so a write
either happens whole or is refused with a message (never a database error).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from models_catalog.catalog_version import bump_catalog_version
from models_catalog.models import (
    ErrorReport,
    LanguageModel,
    Offering,
    PriceHistory,
    Review,
    Score,
)

REPORT_WINDOW = datetime.timedelta(hours=1)

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


def _free_slug(slug: str) -> str:
    """`slug` itself, or `slug-recovered`, `slug-recovered-2`… whichever no model uses."""
    candidates = [slug, f"{slug}-recovered"]
    candidates += [f"{slug}-recovered-{n}" for n in range(2, 100)]
    taken = set(LanguageModel.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    return next(c for c in candidates if c not in taken)


def recover_deleted_model(history_id: int, reason: str) -> LanguageModel:
    """Restore a deleted model as it was, with the offerings, price history and scores that
    were deleted with it. When another model has taken its slug meanwhile, it comes back as
    `<slug>-recovered`. Raises RecoveryError, having written nothing."""
    try:
        with transaction.atomic():
            return _recover(history_id, reason)
    except IntegrityError as error:
        raise RecoveryError(f"The model cannot be recovered as it was: {error}") from error


def _recover(history_id: int, reason: str) -> LanguageModel:
    record = LanguageModel.history.filter(history_id=history_id, history_type="-").first()
    if record is None:
        raise RecoveryError("No deletion with that id is recorded.")
    if LanguageModel.objects.filter(pk=record.id).exists():
        raise RecoveryError(f"{record.name} exists already; there is nothing to recover.")
    window = (record.history_date - CASCADE_WINDOW, record.history_date)
    model = record.instance
    if model.successor_id and not LanguageModel.objects.filter(pk=model.successor_id).exists():
        model.successor = None
    model.slug = _free_slug(model.slug)
    try:
        model.full_clean(exclude=["successor"], validate_unique=False)
    except ValidationError as error:
        raise RecoveryError(
            f"{record.name} cannot be recovered as it was: {' '.join(error.messages)}"
        ) from error
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


@transaction.atomic
def mark_model_reviewed(*, model: LanguageModel, user, on: datetime.date, note: str = "") -> Review:
    """Stamp the review on the model (what pages show) and log it with the note.

    The stamp is written with update() so it does not count as an edit: an editor who opened
    the model before the review can still save their correction. Raises ValidationError for a
    bad note, having written nothing.
    """
    review = Review(language_model=model, reviewed_by=user, reviewed_on=on, note=note)
    review.full_clean(exclude=["reviewed_by"])  # null: the reviewer may be a deleted user
    LanguageModel.objects.filter(pk=model.pk).update(last_reviewed_on=on, last_reviewed_by=user)
    # Pages show the review date; update() sends no signal, so bump here.
    bump_catalog_version()
    model.last_reviewed_on, model.last_reviewed_by = on, user
    review.save()
    return review


class ReportLimitReached(Exception):
    """The client has sent REPORTS_PER_HOUR reports in the last hour."""


def client_key(address: str) -> str:
    """A keyed hash of a client's address: enough to count its reports, useless to anyone
    who reads the table without the site's secret key."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"report-client:{address}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def create_error_report(
    *,
    model: LanguageModel,
    message: str,
    client: str,
    now: datetime.datetime,
    source_url: str = "",
    email: str = "",
    page: str = "",
) -> ErrorReport:
    """Store a reader's report, counting the client's reports of the last hour in the database
    (so the limit holds across workers and hosts). Raises ReportLimitReached or
    ValidationError, having written nothing."""
    key = client_key(client)
    report = ErrorReport(
        language_model=model,
        message=message,
        source_url=source_url,
        email=email,
        page=page,
        client_key=key,
    )
    report.full_clean()
    recent = ErrorReport.objects.filter(client_key=key, created_at__gt=now - REPORT_WINDOW)
    if recent.count() >= settings.REPORTS_PER_HOUR:
        raise ReportLimitReached
    report.save()
    return report


@transaction.atomic
def offering_change_price(
    *,
    offering: Offering,
    input_usd_per_mtok: Decimal,
    output_usd_per_mtok: Decimal,
    cached_input_usd_per_mtok: Decimal | None,
    since: datetime.date,
) -> Offering:
    """Give an offering a new rate card from `since` (today or back-dated), archiving the
    current one in its price history. Raises ValidationError, having written nothing, for a
    card dated before the current one took effect or for bad prices."""
    offering.input_usd_per_mtok = input_usd_per_mtok
    offering.output_usd_per_mtok = output_usd_per_mtok
    offering.cached_input_usd_per_mtok = cached_input_usd_per_mtok
    offering.price_since = since
    offering.full_clean()
    offering.save()
    return offering
