from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .client_ip import client_ip
from .context import RequestMeta, reset_meta, set_meta
from .rulecache import stamp_read_once


class RequestContextMiddleware:
    """Records the client address for the audit log (through a trusted proxy, the forwarded one: ``client_ip``),
    and reads the rule stamp at most once per request (``rulecache.stamp_read_once``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_meta(RequestMeta(ip_address=client_ip(request)))
        try:
            with stamp_read_once():
                return self.get_response(request)
        finally:
            reset_meta(token)
