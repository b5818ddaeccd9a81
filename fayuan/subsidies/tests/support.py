"""Closed cases with a provider's claim, for the subsidies' tests, reached through the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fayuan.subsidies.services import CostInput, claim_save

COSTS = (CostInput("travel_local", "200.00", "往返法院"), CostInput("copying", "35.50", "复印卷宗"))


def closed_case(city: Any, *, costs: tuple[CostInput, ...] = COSTS, procedure: str = "ordinary",
                claim: bool = True, close: bool = True) -> Any:
    """A wage case of center A handled by provider_a, the claim entered before the closing file is accepted."""
    from fayuan.cases import services

    actor, lawyer = city.user("reviewer_a"), city.user("provider_a")
    data = services.ApplicationInput(
        applicant_id=city.person_a.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
        opposing_party="某建筑公司", facts="被拖欠工资12000元。", household_size=3, household_monthly_income="3000",
        handling_organ="京口区人民法院")
    case = services.case_receive(actor=actor, data=data)
    pid = case.public_id
    services.case_decide(actor=actor, public_id=pid, kind="grant", reasons="")
    services.case_assign(actor=actor, public_id=pid, provider_id=lawyer.provider_id, reason="测试指定承办人员")
    services.assignment_accept(actor=lawyer, public_id=pid)
    services.agreement_record(actor=lawyer, public_id=pid, signed_on=timezone.localdate())
    if claim:
        claim_save(actor=lawyer, case_id=pid, procedure=procedure, costs=costs)
    services.closing_submit(actor=lawyer, public_id=pid, outcome="mediated", report="经调解，对方支付工资12000元。")
    if close:
        services.closing_review(actor=actor, public_id=pid, accept=True)
    case.refresh_from_db()
    return case
