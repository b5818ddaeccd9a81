"""POST /eligibility/check: the public self-check and other systems' eligibility contract (no login)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.decorators import decorate_view

from fayuan.eligibility import engine
from fayuan.eligibility.ruleset import load_ruleset

from .ratelimit import rate_limited
from .schemas import EligibilityIn, EligibilityOut, ErrorOut

router = Router(tags=["受援条件审查"])


@router.post(
    "/check", auth=None, response={200: EligibilityOut, 400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut,
                                  429: ErrorOut},
    summary="受援条件自助审查",
    description=(
        "按申请日期当日有效的规则和申请地最低工资标准，判断是否符合法律援助条件，并逐项说明理由和法律依据。"
        "无需登录；未登录的调用按来源地址限流（默认每分钟 60 次，超出返回 429 和 Retry-After）。"
        "目录外的事项不是错误：返回 eligible=false 和未通过的 scope 审查项。"
    ),
)
@decorate_view(rate_limited("eligibility"))
def eligibility_check(request: HttpRequest, payload: EligibilityIn) -> EligibilityOut:
    rules = load_ruleset(district_code=payload.district_code.strip(), on=payload.application_date)
    applicant = engine.Applicant(
        case_type=payload.case_type,
        matter=payload.matter if payload.case_type != "criminal" else None,
        criminal_ground=(payload.criminal_ground or "").strip() or None if payload.case_type == "criminal" else None,
        birth_date=payload.applicant_birth_date,
        household_size=payload.household_size,
        household_monthly_income=payload.household_monthly_income,
        groups=frozenset(payload.groups),
        facts=payload.facts.codes(),
        criminal_stage=(payload.criminal_stage or None) if payload.case_type == "criminal" else None,
    )
    return EligibilityOut.model_validate(engine.evaluate(applicant, rules).as_dict())
