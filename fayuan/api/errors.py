"""Every error the API returns has one shape: ``{"detail": "<Chinese message>", "errors": {field: [messages]}}``.

Domain errors keep their own status (404, 403, 409, 422) and messages; pydantic's input errors become 422 with a
Chinese message per field; an out-of-scope or missing record is a 404 that does not say which of the two it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fayuan.core.errors import DomainError, NotFoundOrForbidden, ServiceUnavailable
from fayuan.core.unavailable import log_unavailable, unavailable_reason

NOT_FOUND = "未找到该记录，或您无权查看。"
UNAUTHORIZED = "请先登录，或在请求头中提供有效的令牌（Authorization: Bearer <令牌>）。"
SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})
BODY_PARAM = "payload"  # every endpoint names its body schema parameter ``payload``

_DATE = "日期格式不正确，应为 YYYY-MM-DD（如 2026-03-01）。"
_DATETIME = "时间格式不正确，应为 ISO 8601 格式并带时区（如 2026-03-01T09:30:00+08:00）。"
_NUMBER = "应为数字。"
MESSAGES: dict[str, str] = {
    "missing": "此项为必填项。",
    "extra_forbidden": "不接受此字段，请检查字段名。",
    "json_invalid": "不是有效的 JSON。",
    "int_type": "应为整数。", "int_parsing": "应为整数。", "int_from_float": "应为整数。",
    "int_parsing_size": "数值过大。",
    "float_type": _NUMBER, "float_parsing": _NUMBER, "decimal_type": "应为数字或数字字符串（如 \"3000.00\"）。",
    "decimal_parsing": "应为数字或数字字符串（如 \"3000.00\"）。", "finite_number": "应为有限的数字。",
    "decimal_max_digits": "数值过大。", "decimal_whole_digits": "数值过大。",
    "decimal_max_places": "最多保留 {decimal_places} 位小数。",
    "bool_type": "应为 true 或 false。", "bool_parsing": "应为 true 或 false。",
    "string_type": "应为文本。", "string_pattern_mismatch": "格式不正确。",
    "string_too_long": "不能超过 {max_length} 个字符。",
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME, "datetime_parsing": _DATETIME, "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME, "timezone_aware": "时间须带时区（如 +08:00）。",
    "uuid_type": "编号格式不正确。", "uuid_parsing": "编号格式不正确。",
    "list_type": "应为列表。", "set_type": "应为列表。", "tuple_type": "应为列表。",
    "dict_type": "应为对象。", "model_type": "应为对象。", "model_attributes_type": "应为对象。",
    "literal_error": "不是有效的选项，可选值为：{expected}。", "enum": "不是有效的选项，可选值为：{expected}。",
    "greater_than_equal": "不能小于 {ge}。", "greater_than": "应大于 {gt}。",
    "less_than_equal": "不能大于 {le}。", "less_than": "应小于 {lt}。",
}
FORMAT_ERROR = "格式不正确。"
TOO_BIG = "请求内容过大（超过 {limit}），未作任何处理；请减少内容后重试，文件请分开上传。"


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def translate(error: dict[str, Any]) -> str:
    """One pydantic error as a Chinese sentence for the person who filled in the field."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])  # our own validators raise ValueError with a Chinese message
    if kind == "string_too_short":
        return "不能为空。" if ctx.get("min_length") == 1 else f"至少需要 {ctx.get('min_length')} 个字符。"
    if kind == "too_short":
        return "不能为空。" if ctx.get("min_length") == 1 else f"至少需要 {ctx.get('min_length')} 项。"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项。"
    template = MESSAGES.get(kind)
    if template is None:
        return FORMAT_ERROR
    try:
        return template.format(**{k: _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return FORMAT_ERROR


def _plain(value: Any) -> str:
    text = str(value)
    return text.replace("' or '", "、").replace("', '", "、").strip("'")


def field_name(loc: Iterable[Any]) -> str:
    """``("body", "payload", "facts", "brave_act")`` → ``"facts.brave_act"``; list indices are dropped."""
    parts = list(loc)
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    names = [str(p) for p in parts if not isinstance(p, int)]
    return ".".join(names) or "__all__"


def validation_errors(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        field, message = field_name(error.get("loc", ())), translate(error)
        if field == "__all__" and error.get("type") == "missing":
            message = "请求体不能为空，应为 JSON 对象。"
        bucket = result.setdefault(field, [])
        if message not in bucket:
            bucket.append(message)
    return result


def _summary(errors: dict[str, list[str]]) -> str:
    count = sum(len(v) for v in errors.values())
    if count == 1:
        field, messages = next(iter(errors.items()))
        return messages[0] if field == "__all__" else f"{field}：{messages[0]}"
    return f"提交的内容有 {count} 处错误，请按各字段的提示修改。"


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (ninja picks the most specific class along the exception's MRO)."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A lost database or a full disk: nothing was committed, and the same request (same Idempotency-Key)
        # succeeds once it is back. 503 with Retry-After tells a client to retry; a 500 would say "broken".
        reason = unavailable_reason(exc)
        if reason is None:  # pragma: no cover - registered only for the classes unavailable_reason knows
            raise exc
        message, retry_after = reason
        log_unavailable(request, exc)
        response = respond(request, 503, error_body(message))
        response["Retry-After"] = str(retry_after)
        return response

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, NotFoundOrForbidden):
            return respond(request, 404, error_body(NOT_FOUND))
        if isinstance(exc, ServiceUnavailable):
            return on_unavailable(request, exc)
        return respond(request, exc.http_status, error_body(exc.message, exc.errors))

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = validation_errors(exc.errors)
        return respond(request, 422, error_body(_summary(errors), errors))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(NOT_FOUND))

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message and exc.message != "Unauthorized" else UNAUTHORIZED
        response = respond(request, 401, error_body(message))
        response["WWW-Authenticate"] = "Bearer"
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "请求内容不是有效的 JSON。"
        elif not any("\u4e00" <= ch <= "\u9fff" for ch in message):
            message = f"请求未能处理（{exc.status_code}）。"
        return respond(request, exc.status_code, error_body(message))

    def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A constraint caught a race the services' locks did not (e.g. two tabs acting at once): nothing changed.
        return respond(request, 409, error_body("该操作与同时进行的另一操作冲突，未作任何更改；请刷新后重试。"))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django's own answer is an HTML 400; an API client gets the one JSON shape and 413 (Content Too Large).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        size = f"{limit / 1048576:.1f} MB" if limit >= 1048576 else f"{limit} 字节"
        return respond(request, 413, error_body(TOO_BIG.format(limit=size)))

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (DomainError, on_domain_error), (ValidationError, on_validation_error), (Http404, on_not_found),
        (AuthenticationError, on_unauthenticated), (HttpError, on_http_error), (IntegrityError, on_integrity_error),
        (RequestDataTooBig, on_too_big), (OperationalError, on_unavailable), (InterfaceError, on_unavailable),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
