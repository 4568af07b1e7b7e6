"""The catalog version: one database row that every catalog write changes, in its transaction.

Everything computed from the catalog (whole pages, related pairs, the search index) is
cached under the version's stamp, so the first read after a write computes afresh; nothing
is ever stale, on one host or many, because the stamp lives in the shared database.

- Saves and deletes of catalog models bump it through signals (connected in apps.py).
- Writes that bypass signals (QuerySet.update, bulk_create, raw SQL) must call
  `bump_catalog_version()` themselves, inside the same transaction.
- `one_bump()` wraps many writes (an import) so they bump once, at the end (and not at all
  when nothing was written).

Reads are memoised for the length of one request: a page reads the version once, before it
reads any data, so whatever it caches is at least as new as the stamp it is cached under.

With a shared cache (Redis), the stamp is also published there when the writing transaction
commits, and pages read it from there: a cached page then costs no database query at all.
Writers overwrite the copy after commit; readers that find none read the database and `add`
it (never overwriting), so a reader can never put back a stamp a writer has replaced. The
copy expires after MIRROR_SECONDS, which bounds how long a cache that failed at the moment
of a write can keep an old stamp. A local-memory cache is not shared between processes, so
then every request reads the row.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from models_catalog import version_watch

T = TypeVar("T")
logger = logging.getLogger(__name__)

ROW_ID = 1
MIRROR_KEY = "catalog-version"
MIRROR_SECONDS = 30


@dataclass(frozen=True)
class CatalogState:
    stamp: str
    changed_at: datetime.datetime


class _Local(threading.local):
    in_request = False
    state: CatalogState | None = None
    suspended = 0  # depth of one_bump() blocks
    requested = False  # a write inside them asked for a bump


_local = _Local()


class StampedLRU:
    """Values kept under the catalog stamp they were computed for, least recently used
    dropped first; a value is given back only under that same stamp. Bounded, because keys can
    carry text from the address (a slug, a query), and thread-safe (gunicorn's threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[str, object]] = OrderedDict()

    def get(self, key: str, stamp: str, default: object = None) -> object:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != stamp:
                return default
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: str, stamp: str, value: object) -> None:
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_ABSENT = object()

# Per-process results computed from the catalog (listings, sheets, parts of pages).
MAX_COMPUTED = 2000
_computed = StampedLRU(MAX_COMPUTED)


def _forget() -> None:
    _local.state = None


def bump_catalog_version() -> None:
    """Mark the catalog changed. Call inside the transaction that writes, after writes that
    send no model signals (QuerySet.update, bulk_create, raw SQL)."""
    if _local.suspended:
        _local.requested = True
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
    state = CatalogState(stamp, now)
    # A rollback restores the old stamp: publish only once committed.
    transaction.on_commit(lambda: _publish(state))


def _shared_cache() -> bool:
    from django.conf import settings

    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _publish(state: CatalogState) -> None:
    _forget()
    if not _shared_cache():
        return
    try:
        cache.set(MIRROR_KEY, state, MIRROR_SECONDS)
    except Exception:
        logger.warning("catalog version not published to the cache", exc_info=True)
        try:
            cache.delete(MIRROR_KEY)
        except Exception:
            logger.warning("catalog version copy not removed from the cache", exc_info=True)
    # Every process forgets the stamp it trusted, and reads the new copy on its next request.
    version_watch.announce(state.stamp)


@contextlib.contextmanager
def one_bump() -> Iterator[None]:
    """Many writes, one bump at the end (an import saving thousands of rows), and none when
    nothing was written: an unchanged import leaves every cache alone."""
    if not _local.suspended:
        _local.requested = False
    _local.suspended += 1
    try:
        yield
    finally:
        _local.suspended -= 1
    if not _local.suspended and _local.requested:
        _local.requested = False
        bump_catalog_version()


def heard_catalog_state() -> CatalogState | None:
    """The state this request already read, or the one this process heard of and may trust
    (version_watch): known without asking the cache. None when it must be read."""
    state = _local.state
    if state is None:
        state = version_watch.heard_state()
        if state is not None and _local.in_request:
            _local.state = state
    return state


def catalog_state(*, trust: bool = True) -> CatalogState:
    """The current stamp and when the catalog last changed (once per request: from what this
    process heard of (unless `trust` is False), else from the shared cache when there is one,
    else one query)."""
    state = heard_catalog_state() if trust else _local.state
    if state is not None:
        return state
    heard_since = version_watch.generation()
    if _shared_cache():
        try:
            state = cache.get(MIRROR_KEY)
        except Exception:
            logger.warning("catalog version unreadable from the cache", exc_info=True)
            state = None
        if state is None:
            state = _read_row()
            # Inside a transaction the row may hold a stamp that is not committed yet.
            if not connection.in_atomic_block:
                try:
                    cache.add(MIRROR_KEY, state, MIRROR_SECONDS)
                except Exception:
                    logger.warning("catalog version not copied to the cache", exc_info=True)
        version_watch.remember(state, heard_since)
    else:
        state = _read_row()
    if _local.in_request:
        _local.state = state
    return state


def catalog_state_with(key: str, *, trust: bool = True) -> tuple[CatalogState, object | None]:
    """The catalog state and the cached value at `key`, read afresh: one round trip to a
    shared cache when the stamp is there (callers that may trust a heard stamp ask
    heard_catalog_state() first). A failing cache gives no value, never an error."""
    if _local.state is None and _shared_cache():
        heard_since = version_watch.generation()
        try:
            found = cache.get_many([MIRROR_KEY, key])
        except Exception:
            logger.warning("cache unreadable", exc_info=True)
            found = {}
        state = found.get(MIRROR_KEY)
        if state is not None:
            version_watch.remember(state, heard_since)
            if _local.in_request:
                _local.state = state
            return state, found.get(key)
    state = catalog_state(trust=trust)
    try:
        return state, cache.get(key)
    except Exception:
        logger.warning("cache unreadable", exc_info=True)
        return state, None


def _read_row() -> CatalogState:
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
    return state


def catalog_stamp() -> str:
    return catalog_state().stamp


def per_catalog_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result, computed once per catalog version in this process."""
    stamp = catalog_stamp()
    found = _computed.get(name, stamp, _ABSENT)  # None is a result too (no such page)
    if found is not _ABSENT:
        return found  # type: ignore[return-value]
    value = compute()
    remember_for_catalog_version(name, value, stamp)
    return value


def recall_for_catalog_version(name: str) -> object | None:
    """What `remember_for_catalog_version(name, ...)` kept for the current version, if any."""
    return _computed.get(name, catalog_stamp())


def remember_for_catalog_version(name: str, value: object, stamp: str | None = None) -> None:
    """Replace what `per_catalog_version(name, ...)` holds for the current version."""
    _computed.put(name, stamp or catalog_stamp(), value)


def forget_computed() -> None:
    """Drop this process's computed values and what it heard (tests start from nothing)."""
    version_watch.stop()
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
