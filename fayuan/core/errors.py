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


class ServiceUnavailable(DomainError):
    """The system cannot serve the request right now (HTTP 503, with Retry-After); nothing was changed, and the
    same request may simply be sent again later."""

    http_status = 503
    retry_after = 5  # seconds: long enough for a database restart, short enough that a person waits

    def __init__(self, message: str = "系统暂时无法处理请求，本次操作未作任何更改；请稍后重试。") -> None:
        super().__init__(message)


class StorageFull(ServiceUnavailable):
    """The upload disk is full: the file was not kept and nothing was recorded."""

    retry_after = 60

    def __init__(self) -> None:
        super().__init__("服务器存储空间不足，文件未能保存，本次提交未作任何更改。请稍后重试，并告知系统管理员。")
