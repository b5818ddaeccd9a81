"""Rule rows cached per process, invalidated by one stamp that every master-data write changes.

Wages, matters, grounds, exemption groups, calendars and deadline rules change a few times a year, yet every
self-check, submit and case event read them (about 15 queries a submit). A cached function costs one primary-key
read of the stamp instead. The stamp changes in the same transaction as the rows (``rules_changed``), so no other
process can see the new rows under the old token; a rolled-back change leaves a token that nobody reuses.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from .models import RuleStamp

P = ParamSpec("P")
R = TypeVar("R")

MAX_ENTRIES = 2048  # dates × districts in use; a process that exceeds it starts over rather than grow
_lock = threading.Lock()
_entries: dict[tuple[Any, ...], Any] = {}
_token: list[uuid.UUID | None] = [None]
WATCHED: set[type[Any]] = set()


# Inside a request the stamp is read once, at the first cached call: a request works on one version of the rules
# (a change another process commits meanwhile applies from the next request). Outside a scope (jobs, shells,
# tests) every call reads it.
_UNREAD = object()
_scope: contextvars.ContextVar[Any] = contextvars.ContextVar("rule_stamp_scope", default=None)


@contextlib.contextmanager
def stamp_read_once() -> Iterator[None]:
    token = _scope.set([_UNREAD])
    try:
        yield
    finally:
        _scope.reset(token)


def _read_stamp() -> uuid.UUID | None:
    # Plain SQL: the one query of a self-check, where compiling an ORM query cost as much as running it.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {RuleStamp._meta.db_table} WHERE id = 1")  # noqa: S608  (no input)
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))


def rules_token() -> uuid.UUID | None:
    scope = _scope.get()
    if scope is not None and scope[0] is not _UNREAD:
        return scope[0]  # type: ignore[no-any-return]
    value = _read_stamp()
    if scope is not None:
        scope[0] = value
    return value


def rules_changed() -> None:
    """Call inside the transaction that writes a rule or master-data row."""
    RuleStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})
    scope = _scope.get()
    if scope is not None:
        scope[0] = _UNREAD  # the request that changed a rule reads its new rows


def watch(*model_classes: type[Any]) -> None:
    """Declare rule models (each app in its ``AppConfig.ready``): saving or deleting one of their rows through the
    ORM changes the stamp. Bulk writes (``bulk_create``, ``update``) send no signal: their services call
    ``rules_changed`` themselves."""
    from django.db.models.signals import post_delete, post_save

    for model in model_classes:
        WATCHED.add(model)
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"rulecache-save-{model._meta.label}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"rulecache-delete-{model._meta.label}")


def _row_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # a fixture load writes raw rows, before the stamp's own table may exist
        rules_changed()


def cache_clear() -> None:
    with _lock:
        _entries.clear()
        _token[0] = None


def rule_cached(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache ``fn`` (keyword or positional hashable arguments) until the rule stamp changes. The value must not be
    mutated by callers: return tuples and frozen dataclasses."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        token = rules_token()
        key = (name, args, tuple(sorted(kwargs.items())))
        with _lock:
            if _token[0] != token:
                _entries.clear()
                _token[0] = token
            elif key in _entries:
                return _entries[key]  # type: ignore[no-any-return]
        value = fn(*args, **kwargs)
        with _lock:
            if _token[0] == token:
                if len(_entries) >= MAX_ENTRIES:
                    _entries.clear()
                _entries[key] = value
        return value

    cached.uncached = fn  # type: ignore[attr-defined]
    return cached
