"""The demo's subsidies: every closed case has its subsidy, ended months have paid batches whose totals are their
subsidies' to the fen, 句容市's center pays late, every center has a budget, and seeding again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from fayuan.accounts.models import User
from fayuan.cases.models import Case, CaseEvent
from fayuan.subsidies.models import Budget, Claim, PaymentBatch, Subsidy
from fayuan.subsidies.selectors import timeliness_by_center


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Subsidy, Claim, PaymentBatch, Budget)}


@pytest.mark.django_db(transaction=False)
def test_demo_subsidies_paid_in_batches_one_center_late_and_reseeding_adds_nothing():
    out = io.StringIO()
    call_command("seed_demo", persons=120, cases=80, consultations=0, stdout=out)
    assert "办案补贴：" in out.getvalue(), out.getvalue()[-3000:]
    closed = set(CaseEvent.objects.filter(kind="accept_closing").values_list("case_id", flat=True))
    assert closed and set(Subsidy.objects.values_list("case_id", flat=True)) == closed
    paid = PaymentBatch.objects.filter(status="paid")
    assert paid.exists()
    for batch in PaymentBatch.objects.all():
        assert batch.total == (batch.subsidies.aggregate(t=Sum("total"))["t"] or 0), batch.number
    assert Subsidy.objects.filter(status="paid", paid_on__isnull=True).count() == 0
    assert Budget.objects.exists()
    bureau = User.objects.filter(role="bureau_supervisor", district__isnull=True).order_by("pk")[0]  # the city
    years = sorted({s.closed_on.year for s in Subsidy.objects.filter(status="paid")})
    rows = [r for y in years for r in timeliness_by_center(bureau, y) if r.paid]
    late = [r for r in rows if "句容" in r.center_name]
    others = [r for r in rows if "句容" not in r.center_name]
    if late:
        assert all(r.on_time_share is not None and r.on_time_share < 0.5 for r in late), late
    assert others and sum(r.on_time for r in others) / sum(r.paid for r in others) > 0.8, others
    before = _counts()
    call_command("seed_demo", persons=120, cases=80, consultations=0, stdout=io.StringIO())
    assert _counts() == before
    assert Case.objects.filter(pk__in=closed).count() == len(closed)
