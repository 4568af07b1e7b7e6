"""A Redis cache that degrades to "no cache" when Redis is down or slow, instead of failing."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def _soft(method_name: str, fallback):
    def method(self, *args: Any, **kwargs: Any):
        try:
            return getattr(super(FailSoftRedisCache, self), method_name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            log.warning("Cache %s failed, carrying on without the cache: %s", method_name, error)
            return fallback(*args, **kwargs)

    method.__name__ = method_name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every operation, and redis-py fills two
    dictionaries of response callbacks in each constructor: about half a millisecond, more
    than the round trip itself. A `redis.Redis` is thread-safe (connections come from its
    pool), so one per pool is kept and reused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client


class FailSoftRedisCache(RedisCache):
    """Every read is a miss and every write a no-op while Redis cannot be reached."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    get = _soft("get", _default)
    set = _soft("set", lambda *a, **k: None)
    add = _soft("add", lambda *a, **k: False)
    touch = _soft("touch", lambda *a, **k: False)
    delete = _soft("delete", lambda *a, **k: False)
    get_many = _soft("get_many", lambda *a, **k: {})
    set_many = _soft("set_many", lambda *a, **k: [])
    delete_many = _soft("delete_many", lambda *a, **k: None)
    has_key = _soft("has_key", lambda *a, **k: False)
    clear = _soft("clear", lambda *a, **k: False)

    def incr(self, key, delta: int = 1, version=None) -> int:
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            # No count can be kept without the cache; callers treat it as a missing key.
            log.warning("Cache incr failed: %s", error)
            raise ValueError(f"Key {key!r} not available: the cache is down.") from error
