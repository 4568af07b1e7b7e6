"""The catalog version: one database row that every catalog write changes, in its transaction.

Everything computed from the catalog (whole pages, related pairs, the search index) is
cached under the version's stamp, so the first read after a write computes afresh; nothing
is ever stale, on one host or many, because the stamp lives in the shared database.

- Saves and deletes of catalog models bump it through signals (connected in apps.py).
- Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) must call
  `bump_catalog_version()` themselves, inside the same transaction.
- `one_bump()` wraps many writes (an import) so they bump once, at the end.

Reads are memoised for the length of one request: a page reads the version once, before it
reads any data, so whatever it caches is at least as new as the stamp it is cached under.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.core.signals import request_finished, request_started
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

T = TypeVar("T")

ROW_ID = 1


@dataclass(frozen=True)
class CatalogState:
    stamp: str
    changed_at: datetime.datetime


class _Local(threading.local):
    in_request = False
    state: CatalogState | None = None
    suspended = 0  # depth of one_bump() blocks


_local = _Local()

# Per-process results computed from the catalog: name -> (stamp, value).
_computed: dict[str, tuple[str, object]] = {}


def _forget() -> None:
    _local.state = None


def bump_catalog_version() -> None:
    """Mark the catalog changed. Call inside the transaction that writes, after writes that
    send no model signals (QuerySet.update, bulk_create, raw SQL)."""
    if _local.suspended:
        return
    from models_catalog.models import CatalogVersion

    now = timezone.now()
    stamp = uuid.uuid4().hex
    updated = CatalogVersion.objects.filter(pk=ROW_ID).update(
        number=F("number") + 1, stamp=stamp, changed_at=now
    )
    if not updated:
        # The row is made by a migration; a flushed test database lacks it.
        try:
            with transaction.atomic():
                CatalogVersion.objects.create(pk=ROW_ID, stamp=stamp, changed_at=now)
        except IntegrityError:
            CatalogVersion.objects.filter(pk=ROW_ID).update(
                number=F("number") + 1, stamp=stamp, changed_at=now
            )
    _forget()
    # A rollback restores the old stamp; forget what this thread read inside the transaction.
    transaction.on_commit(_forget)


@contextlib.contextmanager
def one_bump() -> Iterator[None]:
    """Many writes, one bump at the end (an import saving thousands of rows)."""
    _local.suspended += 1
    try:
        yield
    finally:
        _local.suspended -= 1
    bump_catalog_version()


def catalog_state() -> CatalogState:
    """The current stamp and when the catalog last changed (one query, once per request)."""
    state = _local.state
    if state is not None:
        return state
    from models_catalog.models import CatalogVersion

    # A plain cursor: this runs on every cached page view, so it is kept as cheap as it gets.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stamp, changed_at FROM {CatalogVersion._meta.db_table} WHERE id = %s",
            [ROW_ID],
        )
        row = cursor.fetchone()
    if row is None:
        state = CatalogState("none", datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    else:
        changed_at = row[1]
        if isinstance(changed_at, str):  # SQLite through a plain cursor
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, datetime.UTC)
        state = CatalogState(row[0], changed_at)
    if _local.in_request:
        _local.state = state
    return state


def catalog_stamp() -> str:
    return catalog_state().stamp


def per_catalog_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result, computed once per catalog version in this process."""
    stamp = catalog_stamp()
    found = _computed.get(name)
    if found is not None and found[0] == stamp:
        return found[1]  # type: ignore[return-value]
    value = compute()
    _computed[name] = (stamp, value)
    return value


def forget_computed() -> None:
    """Drop this process's computed values (tests start from nothing)."""
    _computed.clear()
    _forget()


def _request_started(**kwargs) -> None:
    _local.in_request = True
    _local.state = None


def _request_finished(**kwargs) -> None:
    _local.in_request = False
    _local.state = None


def _catalog_changed(sender, **kwargs) -> None:
    bump_catalog_version()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from models_catalog import models

    request_started.connect(_request_started, dispatch_uid="catalog_version_request_started")
    request_finished.connect(_request_finished, dispatch_uid="catalog_version_request_finished")
    # Everything a public page shows. Readers' error reports are left out: they show on no
    # public page, and letting anonymous posts empty the cache would be a cheap attack.
    for model in (
        models.Organization,
        models.Provider,
        models.LanguageModel,
        models.Offering,
        models.PriceHistory,
        models.Benchmark,
        models.Score,
        models.DataSource,
        models.Review,
    ):
        for signal in (post_save, post_delete):
            signal.connect(
                _catalog_changed,
                sender=model,
                dispatch_uid=f"catalog_version_{signal is post_save}_{model.__name__}",
            )
