"""Writes that span several rows, each validated before the database sees it: recovering a
deleted model, price changes, reviews, readers' reports, and accepting or rejecting the
changes an import proposed.

Views, admin actions and commands call these instead of writing rows themselves, so a write
either happens whole or is refused with a message (never a database error).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import threading
import time
from collections import Counter
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from models_catalog.catalog_version import bump_catalog_version
from models_catalog.importers.litellm_file import as_json_value
from models_catalog.models import (
    ComparisonViews,
    ErrorReport,
    LanguageModel,
    LiteLLMModelMapping,
    Offering,
    PriceHistory,
    ProposedChange,
    Review,
    Score,
)

logger = logging.getLogger(__name__)

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


# --- deciding on changes proposed by an import ---------------------------------------------


class ImportDecisionError(Exception):
    """A proposed change that cannot be accepted as it stands; the message says why."""


def _changed_since_import(change: ProposedChange, current: Any) -> str:
    return (
        f"Changed since the import: it was {change.old_value!r} then and is {current!r} now. "
        "Look at its history before deciding."
    )


def _save_as_editor(instance, *, change: ProposedChange, user) -> None:
    """Validate and save like an admin form, with the history naming the import and the editor."""
    instance.full_clean()
    instance._change_reason = (
        f"{change.run.change_reason}: {change.get_kind_display().lower()} "
        f"accepted by {user.get_username()}"
    )
    instance._history_user = user
    instance.save()


def _apply(change: ProposedChange, user) -> str | None:
    """Write the change; return a conflict message instead when the value moved meanwhile."""
    Kind = ProposedChange.Kind
    new, as_of = change.new_value, change.run.as_of
    if change.kind == Kind.UNMAPPED:
        # Accepting the suggested model maps the key; the next import proposes its offerings.
        model = LanguageModel.objects.filter(slug=new["suggested_model"]).first()
        if model is None:
            return f"No model {new['suggested_model']!r} any more."
        if LiteLLMModelMapping.objects.filter(key=change.field).exists():
            return "The key has been mapped since the import."
        mapping = LiteLLMModelMapping(key=change.field, language_model=model)
        _save_as_editor(mapping, change=change, user=user)
        return None
    if change.kind == Kind.CAPABILITY:
        model = LanguageModel.objects.select_for_update().get(pk=change.language_model_id)
        current = getattr(model, change.field)
        if current != change.old_value:
            return _changed_since_import(change, current)
        setattr(model, change.field, new)
        if change.source_url not in model.sources:
            model.sources = [*model.sources, change.source_url]  # the flag's source
        _save_as_editor(model, change=change, user=user)
        return None

    offering = (
        Offering.objects.select_for_update()
        .filter(language_model_id=change.language_model_id, provider_id=change.provider_id)
        .first()
    )
    if change.kind == Kind.NEW_OFFERING:
        if offering is not None:
            return "The model has an offering at this provider already (added since the import)."
        offering = Offering(
            language_model_id=change.language_model_id,
            provider_id=change.provider_id,
            input_usd_per_mtok=Decimal(new["input"]),
            output_usd_per_mtok=Decimal(new["output"]),
            cached_input_usd_per_mtok=(
                Decimal(new["cached_input"]) if new["cached_input"] is not None else None
            ),
            context_window=new["context_window"],
            max_output_tokens=new["max_output_tokens"],
            price_since=as_of,
            source_url=new["source_url"],
        )
        _save_as_editor(offering, change=change, user=user)
        return None
    if offering is None:
        return "The offering no longer exists."

    if change.kind == Kind.PRICE:
        current = {
            "input": offering.input_usd_per_mtok,
            "output": offering.output_usd_per_mtok,
            "cached_input": offering.cached_input_usd_per_mtok,
        }
        wanted = {k: Decimal(v) if v is not None else None for k, v in change.old_value.items()}
        if current != wanted:
            return _changed_since_import(change, as_json_value(current))
        if offering.price_since is not None and offering.price_since >= as_of:
            return (
                f"The current rate card took effect on {offering.price_since.isoformat()}, "
                f"not before the import's date {as_of.isoformat()}."
            )
        offering.input_usd_per_mtok = Decimal(new["input"])
        offering.output_usd_per_mtok = Decimal(new["output"])
        offering.cached_input_usd_per_mtok = (
            Decimal(new["cached_input"]) if new["cached_input"] is not None else None
        )
        # Offering.save() archives the old rate card as ending on this date.
        offering.price_since = as_of
        # The new price is cited where it was found.
        offering.source_url = change.source_url
        _save_as_editor(offering, change=change, user=user)
        return None

    if change.kind in (Kind.CONTEXT, Kind.MAX_OUTPUT):
        model_value = getattr(offering.language_model, change.field)
        current = getattr(offering, change.field) or model_value
        if current != change.old_value:
            return _changed_since_import(change, current)
        # An offering records a limit only where it differs from the model's.
        setattr(offering, change.field, None if new == model_value else new)
    elif change.kind == Kind.DEPRECATION:
        current = as_json_value(offering.ended_on)
        if current != change.old_value:
            return _changed_since_import(change, current)
        offering.ended_on = datetime.date.fromisoformat(new)
        # The offering's source is its price page; the date's own source goes in the note.
        verb = "Retired" if offering.ended_on <= as_of else "Retires"
        cite = f"{verb} {new} (source: {change.source_url})."
        if cite not in offering.note:
            note = f"{offering.note} {cite}".strip()
            if len(note) <= Offering._meta.get_field("note").max_length:
                offering.note = note
    elif change.kind == Kind.ENDED:
        if offering.is_current is not True:
            return _changed_since_import(change, offering.is_current)
        offering.is_current = False
    else:
        raise ImportDecisionError(f"Unknown kind of change: {change.kind}.")
    _save_as_editor(offering, change=change, user=user)
    return None


def accept_proposed_change(
    *, change: ProposedChange, user, overwrite_conflict: bool = False
) -> None:
    """Apply one proposed change as `user` would by saving the admin form.

    Refused (ImportDecisionError, nothing written) when it was decided already, is a model
    that needs a mapping first, conflicts with an editor's change (unless
    `overwrite_conflict`), or its value moved since the import (then it is flagged as a
    conflict, for the editor to look at).
    """
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().select_related("run").get(pk=change.pk)
        if change.status != ProposedChange.Status.PENDING:
            raise ImportDecisionError(f"Already {change.get_status_display().lower()}.")
        if change.kind == ProposedChange.Kind.UNMAPPED and not (change.new_value or {}).get(
            "suggested_model"
        ):
            raise ImportDecisionError(
                "An unmapped model cannot be accepted: map its key to a model under "
                "“LiteLLM model mappings” (or mark it not tracked), then import again."
            )
        if change.conflict and not overwrite_conflict:
            raise ImportDecisionError(f"Conflict: {change.conflict}")
        conflict = _apply(change, user)
        if conflict is None:
            change.status = ProposedChange.Status.ACCEPTED
            change.decided_by, change.decided_at = user, timezone.now()
            change.save(update_fields=["status", "decided_by", "decided_at"])
            return
    # Outside the rolled-back block, so the flag stays for the editor to see.
    ProposedChange.objects.filter(pk=change.pk).update(conflict=conflict)
    raise ImportDecisionError(f"Conflict: {conflict}")


def reject_proposed_change(*, change: ProposedChange, user) -> None:
    """Record that an editor rejected the change; the catalog is left as it is."""
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProposedChange.Status.PENDING:
            raise ImportDecisionError(f"Already {change.get_status_display().lower()}.")
        change.status = ProposedChange.Status.REJECTED
        change.decided_by, change.decided_at = user, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])


class _PendingViews:
    """Pair views counted in this process and not yet written (see count_comparison_view)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.last_flush = time.monotonic()


_pending_views = _PendingViews()


def count_comparison_view(*, pair: str) -> None:
    """Add one to a comparison page's aggregated view counter (no data about the viewer).

    Counts are gathered in the process and written every VIEW_COUNT_FLUSH_SECONDS (and when
    the process exits): a write per view would make the cheapest page, a cached one, wait on
    the database, and one popular pair would queue on its row. A crash loses those seconds'
    counts, which a popularity ranking can spare.

    Not catalog data: the catalog version is left alone, so counting never empties a cache.
    """
    pending = _pending_views
    with pending.lock:
        pending.counts[pair] += 1
        due = time.monotonic() - pending.last_flush >= settings.VIEW_COUNT_FLUSH_SECONDS
    if due:
        flush_comparison_views()


def flush_comparison_views() -> None:
    """Write the counts gathered in this process, as one upsert: each pair's row is made or
    added to. Under random traffic nearly every pair is new since the last flush, and the
    ORM's bulk_create and update cost about 0.1 ms per pair, inside a visitor's request."""
    pending = _pending_views
    with pending.lock:
        counts, pending.counts = pending.counts, Counter()
        pending.last_flush = time.monotonic()
    if not counts:
        return
    quote = connection.ops.quote_name
    table, pair, views = (
        quote(ComparisonViews._meta.db_table),
        quote(ComparisonViews._meta.get_field("pair").column),
        quote(ComparisonViews._meta.get_field("views").column),
    )
    # INSERT … ON CONFLICT … DO UPDATE: PostgreSQL and SQLite (3.24+) alike.
    upsert = (
        f"INSERT INTO {table} ({pair}, {views}) VALUES (%s, %s) "
        f"ON CONFLICT ({pair}) DO UPDATE SET {views} = {table}.{views} + excluded.{views}"
    )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(upsert, list(counts.items()))
    except DatabaseError:
        # Kept for the next flush rather than lost while the database is away.
        with pending.lock:
            pending.counts.update(counts)
        logger.warning("comparison view counts not written; kept for later", exc_info=True)


def flush_comparison_views_at_exit() -> None:
    try:
        flush_comparison_views()
    except Exception:  # the process is ending; a lost count must not hide why
        logger.warning("comparison view counts lost at exit", exc_info=True)
