"""Ambient request metadata for the audit log (address and request id), set by RequestContextMiddleware.

Only metadata lives here; the acting user is always passed explicitly to services.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None = None


_current: ContextVar[RequestMeta] = ContextVar("fayuan_request_meta", default=RequestMeta())  # noqa: B039


def current_meta() -> RequestMeta:
    return _current.get()


def set_meta(meta: RequestMeta):  # type: ignore[no-untyped-def]
    return _current.set(meta)


def reset_meta(token) -> None:  # type: ignore[no-untyped-def]
    _current.reset(token)
