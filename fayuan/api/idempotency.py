"""``Idempotency-Key`` for creating POSTs: a retry with the same key and body gets the first answer, never a
second record.

Order inside one transaction: insert the key's row (unique per user and key), do the work, store the answer.
A concurrent duplicate blocks on the unique index until the first transaction ends: if it committed, the
duplicate's insert fails and it replays the committed answer; if it rolled back (a refused request), nothing was
created and the duplicate simply does the work itself. Refusals are therefore not stored: a corrected retry with
the same key is allowed, and only successful answers are replayed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.operation import Operation
from ninja.responses import NinjaJSONEncoder, Status
from ninja.utils import contribute_operation_callback
from pydantic import BaseModel

from fayuan.core.errors import ValidationFailed

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
JSON_TYPE = "application/json; charset=utf-8"
HEADER_DOC = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": ("幂等键（建议用 UUID）。相同的键和相同的请求体重试时，返回第一次的结果（响应头 "
                    "Idempotent-Replayed: true），不会重复创建记录；相同的键用于不同的请求体时返回 422。"),
}


class _KeyTaken(Exception):
    """Another request with this key committed first."""


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the body; a JSON body is hashed in canonical form so key order and spacing do not matter."""
    body = request.body
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def _clean_key(raw: str) -> str:
    key = raw.strip()
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationFailed(f"幂等键应为不超过 {MAX_KEY_LENGTH} 个字符的可打印 ASCII 文本（建议用 UUID）。",
                               field=HEADER)
    return key


def _serialize(result: Any) -> tuple[int, str]:
    status = 200
    if isinstance(result, Status):
        status, result = result.status_code, result.value
    if isinstance(result, BaseModel):
        result = result.model_dump()
    return status, json.dumps(result, cls=NinjaJSONEncoder, ensure_ascii=False)


def _json_response(status: int, body: str) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=JSON_TYPE)


def _replay(record: IdempotencyRecord, *, method: str, path: str, fingerprint: str) -> HttpResponse:
    if (record.method, record.path, record.request_hash) != (method, path, fingerprint):
        raise ValidationFailed("该幂等键已用于另一个不同的请求；新的请求请使用新的幂等键。", field=HEADER)
    response = _json_response(record.response_status, record.response_body)
    response[REPLAY_HEADER] = "true"
    return response


def _document(operation: Operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), HEADER_DOC]
    operation.openapi_extra = extra


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Put under ``@router.post(...)``. Without the header the view runs as usual."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raw = request.headers.get(HEADER, "")
        if not raw.strip():
            return view(request, *args, **kwargs)
        key = _clean_key(raw)
        owner: dict[str, Any] = {"user_id": getattr(getattr(request, "auth", None), "pk", None)}
        method, path, fingerprint = request.method or "POST", request.path[:255], request_fingerprint(request)
        found = IdempotencyRecord.objects.filter(key=key, **owner).first()
        if found is not None:
            return _replay(found, method=method, path=path, fingerprint=fingerprint)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(
                            key=key, method=method, path=path, request_hash=fingerprint, response_status=0, **owner,
                        )
                except IntegrityError:
                    raise _KeyTaken from None
                status, body = _serialize(view(request, *args, **kwargs))
                record.response_status, record.response_body = status, body
                record.save(update_fields=["response_status", "response_body"])
        except _KeyTaken:
            found = IdempotencyRecord.objects.get(key=key, **owner)
            return _replay(found, method=method, path=path, fingerprint=fingerprint)
        return _json_response(status, body)

    # ninja resolves string annotations in the wrapper's module; resolve them here, in the view's own module.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    contribute_operation_callback(wrapper, _document)
    return wrapper


def idempotency_purge(*, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Forget stored answers after a while (clients retry within minutes, not months); returns rows deleted."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
