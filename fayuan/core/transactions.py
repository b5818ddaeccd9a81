"""One transaction per service call, without a savepoint for each nested service.

``transaction.atomic`` opens a savepoint for every nested block: a submit ran sixteen SAVEPOINT/RELEASE statements
for services that call services, though none of them recovers from an inner failure. A service decorated with
``atomic_service`` keeps the outer call's behaviour (a transaction, or a savepoint when a view, a test or a batch
job already holds one, so the caller can report the error and go on) and joins its caller's transaction when a
service calls it: an inner failure then fails the whole call, as it always did. Code that must recover from an
inner failure and go on keeps an explicit ``with transaction.atomic():`` around it: that savepoint is what makes
recovery possible.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

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
            try:
                return fn(*args, **kwargs)
            finally:
                _local.depth = depth

    return run
