"""A per-address request limit for the open endpoints (the public eligibility self-check).

Fixed 60-second windows counted in Django's cache. Without a CACHES setting that is the per-process LocMemCache:
each gunicorn worker counts on its own, so the effective limit is (limit x workers) until a shared cache is
configured. The address is ``core.client_ip.client_ip``: X-Forwarded-For only when the peer is a trusted proxy
(any caller can write the header).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from fayuan.core.client_ip import client_ip

from .auth import InvalidToken, optional_caller

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 60


def limit_per_minute() -> int:
    """ELIGIBILITY_RATE_LIMIT from settings (tests override it) or the environment; 0 turns the limit off."""
    return int(getattr(settings, "ELIGIBILITY_RATE_LIMIT", int(os.environ.get("ELIGIBILITY_RATE_LIMIT",
                                                                             str(DEFAULT_LIMIT)))))


def client_address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def hit(scope: str, address: str, *, limit: int, now: float | None = None) -> int | None:
    """Count one request; None when allowed, else the seconds until the window ends (for Retry-After)."""
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"fayuan:ratelimit:{scope}:{address}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
    if count <= limit:
        return None
    return max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))


def too_many(retry_after: int) -> HttpResponse:
    response = JsonResponse(
        {"detail": f"请求过于频繁，请在 {retry_after} 秒后再试。", "errors": {}},
        status=429, json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap an operation's ``run`` (via ``ninja.decorators.decorate_view``): counted before the body is parsed,
    so malformed requests count too. Identified callers (a token or a signed-in user) are not limited."""

    def decorate(run: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                caller = optional_caller(request)
            except InvalidToken as exc:
                response = JsonResponse({"detail": exc.message, "errors": {}}, status=401,
                                        json_dumps_params={"ensure_ascii": False})
                response["WWW-Authenticate"] = "Bearer"
                return response
            if caller is None:
                retry_after = hit(scope, client_address(request), limit=limit_per_minute())
                if retry_after is not None:
                    return too_many(retry_after)
            return run(request, *args, **kwargs)

        return wrapper

    return decorate
