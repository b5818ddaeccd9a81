"""``Case.next_due``, the work queue's sort key, is the earliest due date of the case's running deadlines (open and
not paused: a paused clock is neither due nor overdue) after every step that starts, stops, pauses, moves or cancels
a clock (kept by the deadlines service, on the shipped rules)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.models import Case
from fayuan.deadlines.selectors import deadlines_for_subject

from .conftest import in_progress, receive


def earliest_open(case: Case) -> dt.date | None:
    return (deadlines_for_subject(case).filter(met_at__isnull=True, cancelled_at__isnull=True, paused_at__isnull=True)
            .order_by("due_on").values_list("due_on", flat=True).first())


def kept(case: Case) -> dt.date | None:
    case.refresh_from_db()
    assert case.next_due == earliest_open(case)
    return case.next_due


def test_next_due_follows_the_clocks_through_review(city):
    reviewer = city.user("reviewer_a")
    case = receive(city)
    assert kept(case) is not None  # the decision clock
    services.supplement_request(actor=reviewer, public_id=case.public_id, items=["收入证明"],
                                due_on=timezone.localdate() + dt.timedelta(days=20))
    kept(case)
    services.supplement_receive(actor=reviewer, public_id=case.public_id)
    kept(case)
    services.case_decide(actor=reviewer, public_id=case.public_id, kind="grant")
    assert kept(case) is not None  # the assignment clock


def test_next_due_follows_assignment_and_handling(city):
    case = in_progress(city)
    kept(case)
    services.case_withdraw(actor=city.user("reviewer_a"), public_id=receive(city).public_id, reason="申请人撤回")
    withdrawn = Case.objects.order_by("-id").first()
    assert withdrawn is not None and kept(withdrawn) is None



def test_the_migration_leaves_paused_clocks_out_of_next_due_kept_before(city):
    """Cases paused before ``next_due`` left paused clocks out carry the paused due date; migration 0011 refills
    only those, from their running deadlines."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("fayuan.cases.migrations.0011_next_due_without_paused")
    paused, plain = receive(city), receive(city)
    services.supplement_request(actor=city.user("reviewer_a"), public_id=paused.public_id, items=["收入证明"])
    stale = deadlines_for_subject(paused).filter(paused_at__isnull=False).values_list("due_on", flat=True).get()
    Case.objects.filter(pk=paused.pk).update(next_due=stale)
    Case.objects.filter(pk=plain.pk).update(next_due=dt.date(2099, 1, 1))  # not paused: left alone
    migration.refill_next_due_of_paused(apps, None)
    assert kept(paused) != stale
    plain.refresh_from_db()
    assert plain.next_due == dt.date(2099, 1, 1)
