"""Which pages the shared cache holds, as this process has heard: asking the cache for a page
that is not there costs a round trip, and under crawler traffic nearly every page is new.

Every process that writes pages to the shared cache names them on a channel (`stored`), and
every process hears the names (models_catalog.version_watch carries the channel). When a
process starts hearing them, it also lists the page keys already in Redis (SCAN), in a
thread of its own. From then on, until the subscription drops, a page it has heard nothing of
is surely not in the shared cache, and is rendered without asking (`absent`).

Nothing here can make a page stale: a page that is named is fetched, and its copy is served
only under the stamp it carries, as before. What can go wrong is only a render too many: a
name lost or heard late, a page evicted from Redis. Names of pages stored under an older
stamp are forgotten when the stamp changes, since those pages will not be served again; past
MOST names this process stops keeping them and asks the cache for every page, until then.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache

from models_catalog import version_watch

logger = logging.getLogger(__name__)

CHANNEL = "pages-stored"
PREFIX = "page:"
# About 80 bytes a name: at most a few MB per process.
MOST = 50_000
SCAN_COUNT = 1000


class _Directory:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.names: set[str] = set()
        self.stamp: str | None = None
        # Every page in the shared cache is named in `names`: true once the listing that
        # follows a (re)subscription has finished, false again when the subscription restarts.
        self.complete = False
        self.overflow = False
        self.generation = 0


_directory = _Directory()


def absent(key: str, stamp: str) -> bool:
    """True when the shared cache surely holds no copy of `key` that could be current under
    `stamp`: its name was never heard while this process listened. Call only while listening
    (version_watch.listening()), with a stamp heard there."""
    directory = _directory
    if directory.stamp != stamp:
        with directory.lock:
            if directory.stamp is not None and directory.stamp != stamp:
                # Pages stored under an older stamp are never served again.
                directory.names.clear()
                directory.overflow = False
            directory.stamp = stamp
    return directory.complete and not directory.overflow and key not in directory.names


def stored(keys: Iterable[str]) -> None:
    """Tell every process (this one too) that these pages are now in the shared cache."""
    keys = list(keys)
    _add(keys)
    version_watch.publish(CHANNEL, " ".join(keys))


def _add(keys: list[str]) -> None:
    with _directory.lock:
        _add_locked(keys)


def _add_locked(keys: list[str]) -> None:
    # Past the bound, stop keeping names (every page is asked for) until the stamp changes.
    directory = _directory
    if len(directory.names) + len(keys) > MOST:
        directory.overflow = True
    else:
        directory.names.update(keys)


def _heard(data: bytes) -> None:
    _add(data.decode().split())


def _subscribed(client: Any) -> None:
    """Names sent while the subscription was down are lost: start again from a listing."""
    directory = _directory
    with directory.lock:
        directory.generation += 1
        directory.names.clear()
        directory.stamp = None
        directory.complete = directory.overflow = False
        generation = directory.generation
    threading.Thread(
        target=_list_stored, args=(client, generation), name="page-directory", daemon=True
    ).start()


def _list_stored(client: Any, generation: int) -> None:
    # The names heard meanwhile are kept too: the subscription began before the listing.
    prefix = cache.make_key(PREFIX)
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + "*"
    found: list[str] = []
    try:
        for raw in client.scan_iter(match=pattern, count=SCAN_COUNT):
            found.append(PREFIX + raw.decode()[len(prefix) :])
            if len(found) > MOST:
                break
    except Exception:
        logger.warning("could not list the cached pages; asking the cache for each page")
        return
    directory = _directory
    with directory.lock:
        if directory.generation != generation:
            return  # subscribed again meanwhile: that listing counts
        _add_locked(found)
        directory.complete = True


def start() -> None:
    """Hear the names of stored pages (from the app's ready())."""
    version_watch.also_hear(CHANNEL, _heard, _subscribed)
