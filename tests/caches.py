"""The test cache, emptied per test process."""

from __future__ import annotations

from django.core.cache import cache


def clear_own_cache() -> None:
    """Empty this test process's cache. On Redis, only this process's keys: `cache.clear()` is a
    FLUSHDB, which would also empty the keys of the other parallel test workers (pytest-xdist)
    sharing the database — their rate-limit counters and cached sessions — in mid-test."""
    prefix = cache.key_prefix
    if not prefix or not hasattr(cache, "_cache") or not hasattr(cache._cache, "get_client"):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
