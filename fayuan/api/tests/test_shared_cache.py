"""With CACHE_URL the rate limit counts in one Redis for every process; without it, `check --deploy` warns.

The Redis test talks to the server the machine runs (127.0.0.1:6379, the one the deployment uses), on a database
number of its own, through two separate cache clients: what two gunicorn workers would be.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.core.cache.backends.redis import RedisCache

from fayuan.api import ratelimit
from fayuan.api.checks import check_shared_cache

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _client() -> RedisCache:
    return RedisCache(REDIS, {"KEY_PREFIX": f"fayuan-test-{os.getpid()}"})


def test_two_processes_count_together_in_redis(monkeypatch: Any) -> None:
    first, second = _client(), _client()
    address = f"10.9.{uuid.uuid4().int % 250}.1"
    at = 1_800_000_010.0  # ten seconds into a window
    monkeypatch.setattr(ratelimit, "cache", first)
    assert [ratelimit.hit("check", address, limit=3, now=at) for _ in range(2)] == [None, None]
    monkeypatch.setattr(ratelimit, "cache", second)  # another worker, another connection
    assert ratelimit.hit("check", address, limit=3, now=at) is None
    assert ratelimit.hit("check", address, limit=3, now=at) == 50  # the fourth in the minute, whichever worker
    assert ratelimit.hit("check", address, limit=3, now=at + 60) is None  # the next window starts again
    first.clear()


def test_deploy_check_asks_for_a_shared_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [m.id for m in check_shared_cache()] == ["fayuan.cache.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    assert check_shared_cache() == []


def test_cache_url_selects_redis(monkeypatch: Any) -> None:
    """The settings module reads CACHE_URL (a fresh import, as a server process starts)."""
    import importlib
    import sys

    monkeypatch.setenv("CACHE_URL", REDIS)
    saved = sys.modules.pop("config.settings")
    try:
        fresh = importlib.import_module("config.settings")
        assert fresh.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert fresh.CACHES["default"]["LOCATION"] == REDIS
    finally:
        sys.modules["config.settings"] = saved
