"""Closed cases and typical cases for the library's tests, reached through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User

FACTS = ("受援人{name}（身份证号３２１１０２１９８００５１７００１Ｘ，电话138 0000 0001）家住辛丰镇新丰村三组，"
         "2023年在李秀英承包的工地务工，被拖欠工资12000元。")
SIGNIFICANCE = "本案是农民工讨薪的典型案例，法律援助中心开辟绿色通道，快速受理、快速指派，有效维护了农民工的合法权益。"


def closed_case(city: Any, *, reviewer: str = "reviewer_a", person: Any = None, facts: str | None = None,
                opposing: str = "李秀英") -> Any:
    """A wage case of the reviewer's center, from counter application to accepted closing file."""
    from fayuan.cases import services

    if reviewer != "reviewer_a" and "provider_b" not in city.users:
        from fayuan.core.tests.access_support import add_personas

        add_personas(city)  # center B's lawyer
    actor: User = city.user(reviewer)
    lawyer = city.user("provider_a") if reviewer == "reviewer_a" else city.user("provider_b")
    person = person or (city.person_a if reviewer == "reviewer_a" else city.person_b)
    facts = FACTS.format(name=person.name) if facts is None else facts
    data = services.ApplicationInput(
        applicant_id=person.public_id,
        case_type="civil", matter="wages", matter_summary="追索劳动报酬", opposing_party=opposing,
        facts=facts, household_size=3, household_monthly_income="3000", handling_organ="京口区人民法院")
    case = services.case_receive(actor=actor, data=data)
    pid = case.public_id
    services.case_decide(actor=actor, public_id=pid, kind="grant", reasons="")
    services.case_assign(actor=actor, public_id=pid, provider_id=lawyer.provider_id, reason="测试指定承办人员")
    services.assignment_accept(actor=lawyer, public_id=pid)
    services.agreement_record(actor=lawyer, public_id=pid, signed_on=timezone.localdate())
    services.closing_submit(actor=lawyer, public_id=pid, outcome="mediated",
                            report=f"经调解，{opposing}当庭支付{person.name}工资12000元，联系电话0511-85551234。")
    services.closing_review(actor=actor, public_id=pid, accept=True)
    case.refresh_from_db()
    return case


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def ready_write_up(city: Any, *, reviewer: str = "reviewer_a", case: Any = None, period: dt.date | None = None) -> Any:
    """A drafted write-up with its significance written: ready to submit."""
    from fayuan.typical_cases.services import typical_case_draft, typical_case_update

    actor = city.user(reviewer)
    case = case or closed_case(city, reviewer=reviewer)
    typical = typical_case_draft(actor=actor, case_id=case.public_id, period=period or this_month())
    return typical_case_update(actor=actor, public_id=typical.public_id, data={"significance": SIGNIFICANCE})


def accepted(city: Any, **kwargs: Any) -> Any:
    from fayuan.typical_cases.services import typical_case_review, typical_case_submit

    typical = ready_write_up(city, **kwargs)
    typical_case_submit(actor=city.user(kwargs.get("reviewer", "reviewer_a")), public_id=typical.public_id)
    return typical_case_review(actor=city.user("bureau"), public_id=typical.public_id, accept=True)
