"""A lost database or a full upload disk is a 503 with Retry-After, not a 500 traceback.

When PostgreSQL restarts, fails over or refuses connections, every query raises ``OperationalError`` (or
``InterfaceError`` on a connection that was already closed). Nothing was committed, and the same request will
succeed once the database is back (``CONN_HEALTH_CHECKS`` replaces the dead persistent connection on the next
request), so the answer says "try again shortly" rather than "the server is broken". The page is rendered from a
template with no context processors: anything that touched the database (the signed-in user, the menu) would fail
again while rendering the apology.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from .errors import ServiceUnavailable

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_UNAVAILABLE = "数据库暂时无法连接，本次操作未作任何更改；请稍后重试。"


def unavailable_reason(exc: BaseException | None) -> tuple[str, int] | None:
    """(Chinese message, Retry-After seconds) when ``exc`` means "not now" rather than "broken", else None."""
    if isinstance(exc, ServiceUnavailable):
        return exc.message, exc.retry_after
    if isinstance(exc, DATABASE_ERRORS):
        return DATABASE_UNAVAILABLE, ServiceUnavailable.retry_after
    return None


def unavailable_page(message: str, retry_after: int) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def log_unavailable(request: HttpRequest, exc: BaseException) -> None:
    # One line per request, no traceback: an outage answers hundreds of these. The cause stays visible (a missing
    # table on PostgreSQL is a ProgrammingError and still a 500).
    logger.warning("503 for %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)


class ServiceUnavailableMiddleware:
    """Maps the exceptions of ``unavailable_reason`` raised by a view to the 503 page (the API answers its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        reason = unavailable_reason(exception)
        if reason is None:
            return None
        log_unavailable(request, exception)
        return unavailable_page(*reason)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the same 503 when the failure came from outside a view (a middleware's own query)."""
    exc = sys.exc_info()[1]
    reason = unavailable_reason(exc)
    if reason is None:
        return defaults.server_error(request)
    return unavailable_page(*reason)
