"""A Redis cache that degrades to "no cache" when Redis is down or slow, instead of failing."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
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


class FailSoftRedisCache(RedisCache):
    """Every read is a miss and every write a no-op while Redis cannot be reached."""

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
