"""One hierarchy of domain errors, mapped once to HTTP codes (API) and form messages (UI).

Messages are Chinese and written for the person at the screen: they say what is wrong and what to do.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was changed."""

    http_status = 422

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class ValidationFailed(DomainError):
    """Input is malformed or out of range (HTTP 422)."""


class NotFoundOrForbidden(DomainError):
    """The record does not exist, or the user is not entitled to it: both look the same (HTTP 404)."""

    http_status = 404

    def __init__(self, message: str = "未找到该记录，或您无权查看。") -> None:
        super().__init__(message)


class Conflict(DomainError):
    """The request conflicts with the current state (HTTP 409): a stale transition, a full capacity, a duplicate."""

    http_status = 409


class PermissionDenied(DomainError):
    """The user may see the record but not perform this action on it (HTTP 403)."""

    http_status = 403
