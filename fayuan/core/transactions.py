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
``collect`` gathers what several writes add up to and hands it to one such hook (the rollups' increments).

A hook, or a collected item, registered inside a savepoint that then rolls back is dropped with it, as Django drops
an ``on_commit`` callback: code that opens its own ``transaction.atomic()`` inside a service, fails in it and goes
on must not see the failed part's hooks run (an event's rollup counted though the event is gone). Django keeps that
bookkeeping for its on-commit callbacks, so each group of savepoints gets a do-nothing callback as its witness: if
the witness is still on the connection's list when the hooks run, none of those savepoints rolled back.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction

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
                _reset()
            try:
                result = fn(*args, **kwargs)
                if depth == 0:
                    _run_hooks()
                return result
            finally:
                _local.depth = depth
                if depth == 0:
                    _reset()

    return run


@dataclass(frozen=True, eq=False)
class _Hook:
    key: object
    hook: Callable[[], object]
    witness: Callable[[], None] | None  # None: registered in the service's own transaction, not a savepoint in it


def _reset() -> None:
    _local.hooks, _local.hook_keys, _local.bags, _local.witnesses = [], {}, {}, {}
    _local.base = tuple(connection.savepoint_ids)  # the service's own: it fails as a whole, hooks and all


def _witness() -> Callable[[], None] | None:
    """The witness of the savepoints open now (one per stack of savepoints: their names are never reused); none
    when only the service's own transaction is open, as for nearly every hook: nothing to look up then."""
    stack = tuple(connection.savepoint_ids)
    if stack == _local.base:
        return None
    witnesses: dict[tuple[Any, ...], Callable[[], None]] = _local.witnesses
    if stack not in witnesses:
        def witness() -> None:
            """Nothing to do after the commit: its presence on the list is the message."""

        transaction.on_commit(witness)
        witnesses[stack] = witness
    return witnesses[stack]


def _stands(witness: Callable[[], None] | None) -> bool:
    """Whether the savepoints of the witness all still stand (none rolled back): Django removed the callbacks
    registered in one that did."""
    return witness is None or any(func is witness for _, func, *_ in connection.run_on_commit)


def before_commit(hook: Callable[[], object], *, key: object = None) -> None:
    """Run ``hook`` when the outermost service returns, inside its transaction, after everything it wrote; hooks run
    in the order registered (one registered by a hook runs after it). If the service fails, or the savepoint it was
    registered in rolls back, the hook does not run. A hook with a ``key`` already registered and not yet run is not
    registered again (work to do once per transaction)."""
    if getattr(_local, "depth", 0) == 0:
        raise RuntimeError("before_commit is for code running inside an atomic_service")
    keyed: dict[object, _Hook] = _local.hook_keys
    if key is not None and key in keyed and _stands(keyed[key].witness):
        return  # the one waiting will do (one registered in a savepoint since rolled back will not: register anew)
    entry = _Hook(key, hook, _witness())
    if key is not None:
        keyed[key] = entry
    _local.hooks.append(entry)


def in_service() -> bool:
    """Whether the code runs inside an ``atomic_service`` (so ``before_commit`` and ``collect`` may be used)."""
    return getattr(_local, "depth", 0) > 0


def collect(key: object, items: Iterable[Any], flush: Callable[[list[Any]], object]) -> None:
    """Add ``items`` to a list that lives as long as the outermost service's transaction: the first call registers
    ``flush`` to be given everything added, before commit (``before_commit``). For work that many writes of one
    transaction add to and that takes a contended lock: done once, last, it holds the lock only until the commit.
    If the service fails, nothing is flushed; items added inside a savepoint that rolled back are left out."""
    if not in_service():  # outside one nothing would ever flush the items: they would be lost without a word
        raise RuntimeError("collect is for code running inside an atomic_service")
    bags: dict[object, list[tuple[Callable[[], None] | None, list[Any]]]] = _local.bags
    if key not in bags:
        bags[key] = []

        def flush_standing() -> None:
            flush([item for witness, added in bags.pop(key) if _stands(witness) for item in added])

        # Registered outside any savepoint of the service's own: the flush itself must not be dropped with one.
        _local.hooks.append(_Hook(None, flush_standing, None))
    bags[key].append((_witness(), list(items)))


def _run_hooks() -> None:
    hooks: list[_Hook] = _local.hooks
    keyed: dict[object, _Hook] = _local.hook_keys
    while hooks:
        entry = hooks.pop(0)
        if entry.key is not None and keyed.get(entry.key) is entry:
            del keyed[entry.key]  # once it has run, the same work asked for again runs again (last)
        if _stands(entry.witness):
            entry.hook()
