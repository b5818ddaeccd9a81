"""Services join their caller's transaction without a savepoint each, yet the outermost call stays recoverable."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fayuan.core.errors import Conflict
from fayuan.core.models import RuleStamp
from fayuan.core.transactions import atomic_service, before_commit, collect, in_service

pytestmark = pytest.mark.django_db


@atomic_service
def inner(fail: bool = False) -> None:
    RuleStamp.objects.create()
    if fail:
        raise Conflict("内层失败")


@atomic_service
def outer(fail_inner: bool = False) -> None:
    inner()
    inner(fail=fail_inner)


def test_nested_services_open_no_savepoints():
    with CaptureQueriesContext(connection) as queries:
        outer()
    savepoints = [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()]
    # The test runs inside a transaction, so the outermost service takes one savepoint; the two inner ones none.
    assert len([s for s in savepoints if not s.upper().startswith("RELEASE")]) == 1
    assert RuleStamp.objects.count() == 2


def test_an_inner_failure_fails_the_whole_call_and_the_caller_can_go_on():
    with pytest.raises(Conflict):
        outer(fail_inner=True)
    assert RuleStamp.objects.count() == 0  # nothing of the failed call stays, and the connection still works


def test_an_explicit_savepoint_still_lets_a_service_recover_from_an_inner_failure():
    @atomic_service
    def tolerant() -> str:
        RuleStamp.objects.create()
        try:
            with transaction.atomic():
                inner(fail=True)
        except Conflict:
            return "skipped"
        return "done"

    assert tolerant() == "skipped"
    assert RuleStamp.objects.count() == 1


def test_before_commit_hooks_run_last_in_order_inside_the_outermost_service():
    ran: list[str] = []

    @atomic_service
    def leaf() -> None:
        before_commit(lambda: ran.append("leaf hook"))
        before_commit(lambda: (ran.append("second hook"), before_commit(lambda: ran.append("hook's hook"))))
        ran.append("leaf")

    @atomic_service
    def root() -> None:
        leaf()
        ran.append("root, after leaf")

    root()
    assert ran == ["leaf", "root, after leaf", "leaf hook", "second hook", "hook's hook"]


def test_before_commit_hooks_of_a_failed_service_never_run_nor_leak_into_the_next():
    ran: list[str] = []

    @atomic_service
    def failing() -> None:
        before_commit(lambda: ran.append("hook"))
        raise Conflict("失败")

    with pytest.raises(Conflict):
        failing()

    @atomic_service
    def fine() -> None:
        ran.append("fine")

    fine()
    assert ran == ["fine"]


def test_a_failing_hook_rolls_back_the_whole_service():
    @atomic_service
    def writes_then_hook_fails() -> None:
        RuleStamp.objects.create()
        before_commit(lambda: inner(fail=True))

    with pytest.raises(Conflict):
        writes_then_hook_fails()
    assert RuleStamp.objects.count() == 0


def test_before_commit_outside_a_service_is_a_programming_error():
    with pytest.raises(RuntimeError):
        before_commit(lambda: None)


def test_a_keyed_hook_runs_once_per_transaction_however_often_it_is_asked_for():
    ran: list[str] = []

    @atomic_service
    def touches_twice() -> None:
        before_commit(lambda: ran.append("a"), key=("subject", 1))
        before_commit(lambda: ran.append("a again"), key=("subject", 1))
        before_commit(lambda: ran.append("b"), key=("subject", 2))

    touches_twice()
    touches_twice()
    assert ran == ["a", "b", "a", "b"]


def test_collected_items_reach_one_flush_last_and_a_failed_service_leaves_none_behind():
    flushed: list[list[int]] = []

    @atomic_service
    def adds(*items: int, fail: bool = False) -> None:
        assert in_service()
        for item in items:
            collect("numbers", [item], flushed.append)
            before_commit(lambda: flushed.append([-1]), key="marker")  # registered after the flush: runs after it
        if fail:
            raise Conflict("失败")

    @atomic_service
    def outer_adds() -> None:
        adds(1, 2)
        adds(3)

    assert not in_service()
    outer_adds()
    assert flushed == [[1, 2, 3], [-1]]
    with pytest.raises(Conflict):
        adds(4, fail=True)
    adds(5)
    assert flushed == [[1, 2, 3], [-1], [5], [-1]]  # 4 went with its failed transaction


class _Recovered(Exception):
    pass


def test_a_hook_registered_in_a_savepoint_that_rolls_back_is_dropped_with_it():
    ran: list[str] = []

    @atomic_service
    def recovers() -> None:
        before_commit(lambda: ran.append("before"))
        try:
            with transaction.atomic():
                before_commit(lambda: ran.append("failed part"))
                with transaction.atomic():  # a savepoint inside the failed one: dropped too
                    before_commit(lambda: ran.append("deeper"))
                raise _Recovered
        except _Recovered:
            pass
        with transaction.atomic():  # a savepoint that is released: its hook stands
            before_commit(lambda: ran.append("released"))
        before_commit(lambda: ran.append("after"))

    recovers()
    assert ran == ["before", "released", "after"]


def test_a_keyed_hook_dropped_with_its_savepoint_is_registered_again_when_asked_for_after():
    ran: list[str] = []

    @atomic_service
    def asks_twice() -> None:
        try:
            with transaction.atomic():
                before_commit(lambda: ran.append("in the failed part"), key="refresh")
                raise _Recovered
        except _Recovered:
            pass
        before_commit(lambda: ran.append("after"), key="refresh")
        before_commit(lambda: ran.append("asked again"), key="refresh")  # one is waiting: not registered again

    asks_twice()
    assert ran == ["after"]


def test_collected_items_of_a_savepoint_that_rolls_back_are_left_out_of_the_flush():
    flushed: list[list[int]] = []

    @atomic_service
    def recovers() -> None:
        collect("numbers", [1], flushed.append)
        try:
            with transaction.atomic():
                collect("numbers", [2, 3], flushed.append)
                raise _Recovered
        except _Recovered:
            pass
        with transaction.atomic():
            collect("numbers", [4], flushed.append)
        collect("numbers", [5], flushed.append)

    recovers()
    assert flushed == [[1, 4, 5]]


def test_a_savepoint_rolled_back_first_of_all_drops_even_the_first_collected_items():
    flushed: list[list[int]] = []

    @atomic_service
    def recovers() -> None:
        try:
            with transaction.atomic():
                collect("numbers", [1], flushed.append)  # the first call registers the flush: it must still run
                raise _Recovered
        except _Recovered:
            pass
        collect("numbers", [2], flushed.append)

    recovers()
    assert flushed == [[2]]


def test_collect_outside_a_service_is_a_programming_error():
    @atomic_service
    def once() -> None:
        collect("numbers", [1], lambda items: None)

    once()  # a service has run on this thread: its (empty) bags must not take items nobody will flush
    with pytest.raises(RuntimeError):
        collect("numbers", [2], lambda items: None)
