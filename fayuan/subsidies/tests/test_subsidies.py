"""The subsidy's life: claimed, computed at the accepted closing, approved with the grade then known, paid in a
monthly batch; the scopes; the shipped rule rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.subsidies import rules, selectors, services
from fayuan.subsidies.models import BatchStatus, CostLimit, QualityAdjustment, Status, Subsidy, Tariff

from .support import closed_case

pytestmark = pytest.mark.django_db


def test_the_shipped_sample_tariff_is_marked_sample_and_pending() -> None:
    rows = list(Tariff.objects.all())
    assert {r.service for r in rows} == {"criminal_defense", "civil", "administrative", "state_compensation",
                                         "non_litigation", "duty_help", "consultation"}
    assert all(r.is_sample and r.basis_pending and "依据待补" in r.legal_basis for r in rows)
    assert all("第五十二条" in r.basis_text for r in rows)
    assert Tariff.objects.filter(district__name="句容市").exists()  # the sample district row
    assert CostLimit.objects.count() == 7 and QualityAdjustment.objects.count() == 4
    assert rules.payment_days_on(dt.date(2026, 1, 1)) == 60


def test_the_shipped_rows_compute_the_district_row_over_the_city() -> None:
    from fayuan.subsidies import tariff

    day = dt.date(2026, 6, 1)
    jurong = Tariff.objects.get(district__name="句容市").district_id
    rates = rules.rates_on(day)
    pick = tariff.pick_rate
    assert pick(rates, service="civil", procedure="ordinary", district_id=jurong).amount == Decimal("2200.00")
    assert pick(rates, service="civil", procedure="ordinary", district_id=None).amount == Decimal("2000.00")
    assert pick(rates, service="civil", procedure="simplified", district_id=jurong).amount == Decimal("1200.00")
    assert pick(rates, service="criminal_defense", procedure="fast_track", district_id=None).amount == 600
    assert not rules.rates_on(dt.date(2021, 12, 31))  # before the law: no sample rates


def test_closing_computes_a_pending_subsidy_with_explained_lines(city: Any) -> None:
    case = closed_case(city)
    subsidy = Subsidy.objects.get(case=case)
    assert subsidy.status == Status.PENDING
    assert (subsidy.base, subsidy.costs, subsidy.adjustment) == (Decimal("2000.00"), Decimal("235.50"), 0)
    assert subsidy.total == Decimal("2235.50")
    assert [line["kind"] for line in subsidy.lines] == ["base", "cost", "cost", "adjustment"]
    assert "尚未评定" in subsidy.lines[-1]["explanation"]
    assert subsidy.closed_on == timezone.localdate()


def test_without_a_claim_the_ordinary_procedure_and_no_costs_apply(city: Any) -> None:
    subsidy = Subsidy.objects.get(case=closed_case(city, claim=False))
    assert (subsidy.procedure, subsidy.total) == ("ordinary", Decimal("2000.00"))


def test_a_cost_above_its_cap_is_cut(city: Any) -> None:
    case = closed_case(city, costs=(services.CostInput("travel_local", "450.00"),))
    assert Subsidy.objects.get(case=case).costs == Decimal("300.00")


def test_only_the_assigned_provider_claims_and_bad_input_changes_nothing(city: Any) -> None:
    case = closed_case(city, claim=False, close=False)
    with pytest.raises(NotFoundOrForbidden):
        services.claim_save(actor=city.user("duty_a"), case_id=case.public_id, procedure="ordinary")
    with pytest.raises(PermissionDenied):
        services.claim_save(actor=city.user("reviewer_a"), case_id=case.public_id, procedure="ordinary")
    with pytest.raises(ValidationFailed, match="精确到分"):
        services.claim_save(actor=city.user("provider_a"), case_id=case.public_id, procedure="ordinary",
                            costs=[services.CostInput("copying", "1.005")])
    with pytest.raises(ValidationFailed, match="适用程序"):
        services.claim_save(actor=city.user("provider_a"), case_id=case.public_id, procedure="x")
    assert not hasattr(case, "subsidy_claim") or case.subsidy_claim is None


def test_approval_is_the_directors_and_uses_the_grade_then_known(city: Any, monkeypatch: Any) -> None:
    subsidy = Subsidy.objects.get(case=closed_case(city))
    with pytest.raises(PermissionDenied):
        services.subsidy_approve(actor=city.user("reviewer_a"), public_id=subsidy.public_id)
    monkeypatch.setattr(services, "case_quality_grade", lambda case: "pass")
    approved = services.subsidy_approve(actor=city.user("director_a"), public_id=subsidy.public_id)
    assert approved.status == Status.APPROVED and approved.grade == "pass"
    assert approved.adjustment == Decimal("-200.00") and approved.total == Decimal("2035.50")
    with pytest.raises(Conflict):
        services.subsidy_approve(actor=city.user("director_a"), public_id=subsidy.public_id)
    with pytest.raises(Conflict):  # the claim is closed once approved
        services.claim_save(actor=city.user("provider_a"), case_id=subsidy.case.public_id, procedure="simplified")


def test_a_pending_subsidy_is_recomputed_when_the_claim_changes(city: Any) -> None:
    case = closed_case(city)
    services.claim_save(actor=city.user("provider_a"), case_id=case.public_id, procedure="simplified")
    subsidy = Subsidy.objects.get(case=case)
    assert (subsidy.procedure, subsidy.total) == ("simplified", Decimal("1200.00"))


def _approved(city: Any, n: int = 2) -> list[Subsidy]:
    found = []
    for _ in range(n):
        s = Subsidy.objects.get(case=closed_case(city))
        found.append(services.subsidy_approve(actor=city.user("director_a"), public_id=s.public_id))
    return found


def test_a_monthly_batch_reconciles_to_the_fen_and_is_paid(city: Any) -> None:
    subsidies = _approved(city)
    month = timezone.localdate().replace(day=1)
    batch = services.batch_create(actor=city.user("reviewer_a"), month=month)
    assert batch.number == f"{city.center_a.doc_prefix}补〔{month.year}〕1号"
    assert batch.total == sum(s.total for s in subsidies) == Decimal("4471.00")
    with pytest.raises(Conflict):
        services.batch_create(actor=city.user("reviewer_a"), month=month)
    with pytest.raises(Conflict):
        services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk, paid_on=timezone.localdate())
    services.batch_submit(actor=city.user("reviewer_a"), batch_id=batch.pk)
    with pytest.raises(ValidationFailed):
        services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk,
                                 paid_on=timezone.localdate() + dt.timedelta(days=1))
    paid = services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk, paid_on=timezone.localdate())
    assert paid.status == BatchStatus.PAID
    rows = Subsidy.objects.filter(batch=batch)
    assert {s.status for s in rows} == {Status.PAID} and {s.days_to_payment for s in rows} == {0}
    [row] = [r for r in selectors.timeliness_by_center(city.user("bureau"), month.year)
             if r.center_id == city.center_a.pk]
    assert (row.paid, row.on_time, row.mean_days, row.unpaid) == (2, 2, 0.0, 0)


def test_another_center_cannot_reach_the_batch_or_the_subsidy(city: Any) -> None:
    [subsidy] = _approved(city, 1)
    batch = services.batch_create(actor=city.user("reviewer_a"), month=timezone.localdate())
    with pytest.raises(NotFoundOrForbidden):
        services.batch_submit(actor=city.user("reviewer_b"), batch_id=batch.pk)
    with pytest.raises(NotFoundOrForbidden):
        selectors.subsidy_get_for_user(city.user("reviewer_b"), subsidy.public_id)
    with pytest.raises(NotFoundOrForbidden):
        selectors.subsidy_get_for_user(city.user("duty_a"), subsidy.public_id)
    assert selectors.subsidy_get_for_user(city.user("provider_a"), subsidy.public_id) == subsidy
    assert selectors.subsidy_get_for_user(city.user("bureau_a"), subsidy.public_id) == subsidy


def test_a_subsidy_is_added_to_one_batch_only(city: Any) -> None:
    first = services.batch_create(actor=city.user("reviewer_a"), month=timezone.localdate())
    [subsidy] = _approved(city, 1)
    services.batch_add(actor=city.user("reviewer_a"), batch_id=first.pk, subsidy_id=subsidy.public_id)
    first.refresh_from_db()
    assert first.total == subsidy.total
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1))
    second = services.batch_create(actor=city.user("reviewer_a"), month=last_month)
    with pytest.raises(Conflict, match="其他支付批次"):
        services.batch_add(actor=city.user("reviewer_a"), batch_id=second.pk, subsidy_id=subsidy.public_id)


def test_budgets_and_the_funding_report(city: Any) -> None:
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        services.budget_set(actor=city.user("director_a"), center_id=city.center_b.pk, year=year, amount="1")
    services.budget_set(actor=city.user("bureau"), center_id=city.center_a.pk, year=year, amount="100000.00")
    _approved(city, 1)
    batch = services.batch_create(actor=city.user("reviewer_a"), month=timezone.localdate())
    services.batch_submit(actor=city.user("reviewer_a"), batch_id=batch.pk)
    services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk, paid_on=timezone.localdate())
    rows = {r.center_name: r for r in selectors.budget_rows(city.user("bureau"), year)}
    a = rows[city.center_a.name]
    assert (a.budget, a.spent, a.remaining, a.cases, a.persons) == (
        Decimal("100000.00"), Decimal("2235.50"), Decimal("97764.50"), 1, 1)
    assert rows["合计"].spent == Decimal("2235.50")
    # The funding page's total, summed without a row per center, is the workbook's 合计 row.
    assert selectors.funding(city.user("bureau"), year, [])[1] == rows["合计"]
    assert selectors.funding(city.user("bureau"), year - 1, [])[1].cases == 0
    assert [r.center_name for r in selectors.budget_rows(city.user("reviewer_b"), year)] == [city.center_b.name]
    # Handed another center, the figures of a center's staff stay empty: every read is scoped to the user.
    (other,), _ = selectors.funding(city.user("reviewer_b"), year, [(city.center_a.pk, city.center_a.name)])
    assert (other.budget, other.spent, other.cases) == (None, Decimal("0.00"), 0)


def test_the_shipped_adjustments_and_cost_caps_are_in_force() -> None:
    """The quality adjustment and the cost caps as shipped, read through the rule loaders a computation uses."""
    day = dt.date(2026, 6, 1)
    percents = {a.grade: a.percent for a in rules.adjustments_on(day)}
    assert percents == {"excellent": Decimal("10"), "good": Decimal("0"), "pass": Decimal("-10"),
                        "fail": Decimal("-100")}
    caps = rules.limits_on(day)
    assert len(caps) == 7 and all(c.cap > 0 and c.basis for c in caps)


def test_timeliness_counts_each_centers_days_from_closing_to_payment(city: Any) -> None:
    """Counted by the database: the same figures as each subsidy's own days to payment (two paid 91 and 12 days
    after their closing, one still pending), against the payment term in force on 1 January."""
    import time_machine

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        _approved(city, 1)
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        _approved(city, 1)
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        batch = services.batch_create(actor=city.user("reviewer_a"), month=dt.date(2026, 6, 1))
        services.batch_submit(actor=city.user("reviewer_a"), batch_id=batch.pk)
        services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk, paid_on=dt.date(2026, 6, 1))
        closed_case(city)  # pending: not paid
    term = rules.payment_days_on(dt.date(2026, 1, 1))
    days = sorted(s.days_to_payment for s in Subsidy.objects.filter(center=city.center_a, paid_on__isnull=False))
    assert days == [12, 91]
    [row] = [r for r in selectors.timeliness_by_center(city.user("bureau"), 2026) if r.center_id == city.center_a.pk]
    assert (row.paid, row.on_time, row.mean_days, row.unpaid, row.term_days) == (
        2, sum(1 for d in days if d <= term), 51.5, 1, term)
    [other] = [r for r in selectors.timeliness_by_center(city.user("bureau"), 2026) if r.center_id == city.center_b.pk]
    assert (other.paid, other.mean_days, other.unpaid) == (0, None, 0)
    [page] = selectors.timeliness_by_center(city.user("bureau"), 2026, [(city.center_a.pk, city.center_a.name)])
    assert page == row
