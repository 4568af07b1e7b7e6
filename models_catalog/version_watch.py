"""Each process hears of catalog writes through Redis pub/sub, so a cached page needs no round
trip to learn the catalog version.

Writers publish the new stamp on a channel after their transaction commits (after updating
the copy in the cache). Every process keeps a subscription in a daemon thread; while it is up,
the stamp the process last read is trusted without asking Redis again, and any message makes
the process forget it, so the next request reads the copy afresh. The stamp a process read
itself is trusted for at most TRUST_SECONDS: a message lost with a dropped connection can
never keep a page stale for longer than that. Without the subscription (no Redis, Redis
down or hung) nothing is trusted and every request reads the copy, as before.

Readers that must see their own writes at once (editors, who carry a session) do not use
what was heard; see `catalog_state(trust=False)`.

Other news that every process should hear (which pages the shared cache holds) travels on
channels of their own over the same subscription: see `also_hear` and `publish`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

CHANNEL = "catalog-version-changed"
# Seconds a process trusts a stamp it read while subscribed (the bound if a message is lost).
TRUST_SECONDS = 5.0
# Seconds between attempts to subscribe after a failure, and to wait for Redis to confirm.
RETRY_SECONDS = 5.0
CONFIRM_SECONDS = 1.0


class _Watch:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: Any = None
        self.until = 0.0
        # Bumped by every message and every (re)subscription: a stamp read before a change
        # was heard must not be trusted after it.
        self.generation = 0
        self.listening = False
        self.thread: threading.Thread | None = None
        self.pid = 0
        self.retry_at = 0.0


_watch = _Watch()

# Other channels heard on the same subscription: name → (on_message, on_subscribed).
_also: dict[str, tuple[Callable[[bytes], None], Callable[[Any], None]]] = {}


def also_hear(
    name: str, on_message: Callable[[bytes], None], on_subscribed: Callable[[Any], None]
) -> None:
    """Hear channel `name` too: `on_message(data)` for each message, and
    `on_subscribed(redis_client)` each time the subscription starts, since what was sent while
    it was down is lost. Both run in the listening thread: they must be quick (start a thread
    for longer work), and an error in one is logged, never fatal to the subscription."""
    _also[name] = (on_message, on_subscribed)


def publish(name: str, data: str) -> None:
    """Send `data` on channel `name` to every process (also_hear); a failure is logged."""
    client = _redis_client()
    if client is None:
        return
    try:
        client.publish(cache.make_key(name), data)
    except Exception:
        logger.warning("message on %s not sent", name, exc_info=True)


def _redis_client() -> Any:
    """The default cache's Redis client, or None when the cache is not Redis."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)


def _channel() -> str:
    return cache.make_key(CHANNEL)


def _handled(handler: Callable[[Any], None], argument: Any) -> None:
    try:
        handler(argument)
    except Exception:
        logger.exception("a subscriber's handler failed")


def heard_state() -> Any:
    """The catalog state this process may use without asking Redis, or None."""
    watch = _watch
    if watch.pid != os.getpid():
        _start()
        return None
    if not watch.listening:
        if watch.thread is None or not watch.thread.is_alive():
            _start()
        return None
    state = watch.state
    if state is None or time.monotonic() >= watch.until:
        return None
    return state


def listening() -> bool:
    return _watch.listening and _watch.pid == os.getpid()


def generation() -> int:
    return _watch.generation


def remember(state: Any, since_generation: int) -> None:
    """Trust `state` for a while, unless a change was heard since `since_generation`."""
    watch = _watch
    with watch.lock:
        if watch.listening and watch.generation == since_generation:
            watch.state = state
            watch.until = time.monotonic() + TRUST_SECONDS


def forget() -> None:
    """Trust nothing until the stamp is read again (this process wrote, or was told)."""
    watch = _watch
    with watch.lock:
        watch.generation += 1
        watch.state = None


def announce(stamp: str) -> None:
    """Tell every process that the catalog changed (after the copy in the cache is updated)."""
    forget()
    # Should it fail, others trust their stamp for TRUST_SECONDS at most; the copy is already
    # replaced.
    publish(CHANNEL, stamp)


def _start() -> None:
    watch = _watch
    with watch.lock:
        if watch.pid != os.getpid():
            # A forked worker: the parent's thread and connection are not ours.
            watch.pid = os.getpid()
            watch.thread = None
            watch.listening = False
            watch.state = None
            watch.retry_at = 0.0
        if watch.thread is not None and watch.thread.is_alive():
            return
        if time.monotonic() < watch.retry_at:
            return
        client = _redis_client()
        if client is None:
            watch.retry_at = float("inf")  # not Redis: nothing to listen to
            return
        watch.retry_at = time.monotonic() + RETRY_SECONDS
        watch.thread = threading.Thread(
            target=_listen, args=(client, _channel()), name="catalog-version-watch", daemon=True
        )
        watch.thread.start()


def _listen(client: Any, channel: str) -> None:
    watch = _watch
    pubsub = client.pubsub()
    others = {cache.make_key(name).encode(): handlers for name, handlers in _also.items()}
    try:
        pubsub.subscribe(channel, *others)
        deadline = time.monotonic() + CONFIRM_SECONDS
        confirmed = 0
        while confirmed <= len(others):
            message = pubsub.get_message(timeout=0.1)
            if message is not None and message["type"] == "subscribe":
                confirmed += 1
            elif time.monotonic() > deadline:
                raise TimeoutError("Redis did not confirm the subscription")
        # Before anyone relies on what is heard: each handler starts from what is known now.
        for _, on_subscribed in others.values():
            _handled(on_subscribed, client)
        with watch.lock:
            if watch.thread is not threading.current_thread():
                return  # stopped meanwhile
            watch.generation += 1
            watch.state = None
            watch.listening = True
        while watch.thread is threading.current_thread():
            message = pubsub.get_message(timeout=1.0)
            if message is None or message["type"] != "message":
                continue
            handlers = others.get(message["channel"])
            if handlers is None:
                forget()  # the catalog changed
            else:
                _handled(handlers[0], message["data"])
    except Exception:
        logger.warning("not hearing of catalog changes; reading the version each time")
    finally:
        with watch.lock:
            if watch.thread is threading.current_thread():
                watch.listening = False
                watch.state = None
                watch.generation += 1
        try:
            pubsub.close()
        except Exception:  # the connection is gone already
            pass


def stop() -> None:
    """Drop the subscription (settings changed in tests); the thread ends within a second."""
    watch = _watch
    with watch.lock:
        watch.thread = None
        watch.listening = False
        watch.state = None
        watch.generation += 1
        watch.retry_at = 0.0
