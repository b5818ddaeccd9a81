"""Services join their caller's transaction without a savepoint each, yet the outermost call stays recoverable."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fayuan.core.errors import Conflict
from fayuan.core.models import RuleStamp
from fayuan.core.transactions import atomic_service

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
