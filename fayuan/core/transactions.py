"""One transaction per service call, without a savepoint for each nested service.

``transaction.atomic`` opens a savepoint for every nested block: a submit ran sixteen SAVEPOINT/RELEASE statements
for services that call services, though none of them recovers from an inner failure. A service decorated with
``atomic_service`` keeps the outer call's behaviour (a transaction, or a savepoint when a view, a test or a batch
job already holds one, so the caller can report the error and go on) and joins its caller's transaction when a
service calls it: an inner failure then fails the whole call, as it always did. Code that must recover from an
inner failure and go on keeps an explicit ``with transaction.atomic():`` around it: that savepoint is what makes
recovery possible.

``before_commit`` registers work for the end of the outermost service, still inside its transaction: what must be
in the same commit but should hold its locks for as short a time as possible (a case number from the center's
counter row, taken after every other write of the submit, so other submits of the center do not wait behind it).
``collected`` gathers what several writes add up to and hands it to one such hook (the rollups' increments).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

_local = threading.local()


def atomic_service(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        depth: int = getattr(_local, "depth", 0)
        with transaction.atomic(savepoint=depth == 0):
            _local.depth = depth + 1
            if depth == 0:
                _local.hooks, _local.hook_keys, _local.bags = [], set(), {}
            try:
                result = fn(*args, **kwargs)
                if depth == 0:
                    _run_hooks()
                return result
            finally:
                _local.depth = depth
                if depth == 0:
                    _local.hooks, _local.hook_keys, _local.bags = [], set(), {}

    return run


def before_commit(hook: Callable[[], object], *, key: object = None) -> None:
    """Run ``hook`` when the outermost service returns, inside its transaction, after everything it wrote; hooks run
    in the order registered (one registered by a hook runs after it). If the service fails, no hook runs. A hook
    with a ``key`` already registered and not yet run is not registered again (work to do once per transaction)."""
    if getattr(_local, "depth", 0) == 0:
        raise RuntimeError("before_commit is for code running inside an atomic_service")
    if key is not None:
        if key in _local.hook_keys:
            return
        _local.hook_keys.add(key)
    _local.hooks.append((key, hook))


def in_service() -> bool:
    """Whether the code runs inside an ``atomic_service`` (so ``before_commit`` and ``collected`` may be used)."""
    return getattr(_local, "depth", 0) > 0


def collected(key: object, flush: Callable[[list[Any]], object]) -> list[Any]:
    """A list that lives as long as the outermost service's transaction: the first call registers ``flush`` to be
    given everything added to it, before commit (``before_commit``). For work that many writes of one transaction
    add to and that takes a contended lock: done once, last, it holds the lock only until the commit. If the
    service fails, nothing is flushed and the list is dropped with the transaction."""
    bags: dict[object, list[Any]] = _local.bags
    if key not in bags:
        bags[key] = []
        before_commit(lambda: flush(bags.pop(key)), key=("collected", key))
    return bags[key]


def _run_hooks() -> None:
    hooks: list[tuple[object, Callable[[], object]]] = _local.hooks
    while hooks:
        key, hook = hooks.pop(0)
        _local.hook_keys.discard(key)  # once it has run, the same work asked for again runs again (last)
        hook()
