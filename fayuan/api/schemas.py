"""Request and response shapes of the API, described in Chinese for the OpenAPI document.

Input schemas check form (types, lengths, ranges, choices); the services check meaning. Field names match the
services' keyword arguments, so a service's per-field error lands on the field the client sent. Length caps follow
the database columns: PostgreSQL refuses an over-long value with a server error, so it is refused here first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, ValidationInfo, field_validator

from fayuan.core import bounds
from fayuan.core.params import PAGE_MAX

CaseTypeCode = Literal["criminal", "civil", "administrative", "state_compensation", "non_litigation"]
GroupCode = Literal[
    "minor", "elderly", "disabled", "no_fixed_income", "low_income_allowance", "extreme_poverty", "near_poverty",
    "registered_poor", "migrant_worker", "military_family", "judicial_assistance", "entitled_group", "low_income",
    "orphan", "blind_deaf_mute", "mental_incapacity",
]
FactCode = Literal[
    "domestic_violence", "brave_act", "martyr_honour", "retrial_acquittal_compensation",
    "serious_family_rights_violation", "limitation_within_7_days", "urgent_preservation",
]
ChannelCode = Literal["counter", "station", "phone", "online", "letter", "custody", "organ_notice"]
CriminalStageCode = Literal["", "investigation", "prosecution_review", "trial", "death_review"]
AgentRelationshipCode = Literal["", "legal_guardian", "close_relative"]
IncomeSourceCode = Literal["self_declared", "shared_data"]
StatusCode = Literal[
    "at_station", "received", "supplement_requested", "under_review", "aid_first", "granted", "refused",
    "objection", "assigned", "agreement_signed", "in_progress", "closing_submitted", "closed", "archived",
    "withdrawn", "terminated",
]
DecisionCode = Literal["grant", "refuse", "aid_first"]
AssignmentMethodCode = Literal["rotation", "client_choice", "manual"]
ProgressKindCode = Literal["meeting", "file_reading", "evidence", "hearing", "mediation", "judgment", "other"]
OutcomeCode = Literal["won", "partly", "lost", "mediated", "criminal_adopted", "criminal_partly",
                      "criminal_not_adopted", "other"]
TerminationReasonCode = Literal["fraud", "concealment", "illegal_use", "means_changed", "proceedings_ended",
                                "own_lawyer", "recipient_request", "other_law"]

# Caps that keep values inside their columns (Case: income NUMERIC(10,2), household PositiveSmallInteger;
# ClosingFile: NUMERIC(12,2); Assignment.end_reason VARCHAR(200) receives a reason plus a short prefix).
MAX_INCOME = bounds.MONTHLY_INCOME_MAX
MAX_MONEY = bounds.MONEY_MAX
MAX_HOUSEHOLD = bounds.HOUSEHOLD_MAX
REASON_MAX = bounds.REASON_MAX
TEXT_MAX = bounds.FACTS_MAX


class Strict(Schema):
    """Unknown fields are refused: a misspelt optional field would otherwise be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明（中文）")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="按字段列出的错误信息")


# The error answers an operation may give, all in the one shape above (errors.py), declared so that a client
# generated from the document knows every status it can receive (schemathesis checks it).
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# A POST may read its body (the Idempotency-Key fingerprint): over the size limit it is a 413.
POST_ERRORS: dict[int, Any] = {413: ErrorOut, **ERRORS}
# A body that is not JSON at all is a 400 (a JSON body that breaks the schema is a 422).
BODY_ERRORS: dict[int, Any] = {400: ErrorOut, **POST_ERRORS}


# --- Eligibility --------------------------------------------------------------------------------------------

class EligibilityFacts(Strict):
    domestic_violence: bool = Field(False, description="遭受虐待、遗弃或者家庭暴力的受害人主张相关权益（第三十二条）")
    brave_act: bool = Field(False, description="因见义勇为行为主张相关民事权益（第三十二条）")
    martyr_honour: bool = Field(False, description="英雄烈士近亲属维护英雄烈士人格权益（第三十二条）")
    retrial_acquittal_compensation: bool = Field(False, description="再审改判无罪请求国家赔偿（第三十二条）")
    serious_family_rights_violation: bool = Field(False, description="婚姻家庭中人身权利受到严重侵害（绿色通道）")
    limitation_within_7_days: bool = Field(False, description="距法定时效或者期限届满不足七日（第四十四条，先行援助）")
    urgent_preservation: bool = Field(False, description="需要立即申请财产保全、证据保全或者先予执行（第四十四条）")

    def codes(self) -> frozenset[str]:
        return frozenset(name for name, value in self.model_dump().items() if value)


class EligibilityIn(Strict):
    district_code: str = Field(..., min_length=1, max_length=12, description="申请地行政区划代码，如 321102（京口区）",
                               examples=["321102"])
    application_date: dt.date = Field(..., description="申请日期（按当日有效的规则和最低工资标准审查）")
    case_type: CaseTypeCode = Field(..., description="案件类型")
    matter: str | None = Field(
        None, max_length=40, validate_default=True,
        description="申请事项代码（非刑事案件必填），如 wages、labour_relation、marriage_family；目录外事项返回 "
                    "eligible=false，不报错",
    )
    criminal_ground: str | None = Field(
        None, max_length=40,
        description="刑事案件援助情形：minor、blind_deaf_mute、mental_incapacity、life_or_death、death_review、"
                    "absentia，或 none（因经济困难申请）；空值视为 none",
    )
    criminal_stage: CriminalStageCode = Field(
        "", description="刑事案件的诉讼阶段；部分旧规则仅适用于审判阶段（如2003年《法律援助条例》第十二条），"
                        "空值表示不限")
    applicant_birth_date: dt.date | None = Field(None, description="申请人出生日期（据此判断未成年人、老年人）")
    household_size: int = Field(..., ge=1, le=MAX_HOUSEHOLD, description="家庭人口（人），不少于 1")
    household_monthly_income: Decimal = Field(..., ge=0, le=MAX_INCOME, decimal_places=2,
                                              description="家庭月收入（元），小数字符串，如 \"3000.00\"")
    groups: list[GroupCode] = Field(default_factory=list, description="申请人所属人群（本人申报）")
    facts: EligibilityFacts = Field(default_factory=lambda: EligibilityFacts.model_validate({}), description="特殊情形")

    @field_validator("matter")
    @classmethod
    def _matter_for_non_criminal(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = (value or "").strip() or None
        case_type = info.data.get("case_type")
        if value is None and case_type is not None and case_type != "criminal":
            raise ValueError("非刑事案件须填写申请事项。")
        return value

    @field_validator("applicant_birth_date")
    @classmethod
    def _born_before_application(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        applied = info.data.get("application_date")
        if value is not None and applied is not None and value > applied:
            raise ValueError("出生日期不能晚于申请日期。")
        return value


class CriterionOut(Schema):
    code: str = Field(..., description="审查项代码，如 scope、means_test、exemption:low_income_allowance")
    passed: bool = Field(..., description="是否满足")
    basis: str = Field(..., description="法律依据")
    explanation: str = Field(..., description="说明（含计算过程）")
    basis_pending: bool = Field(False, description="依据的法规原文未收入本系统，待市局核对确认")


class StandardOut(Schema):
    monthly_limit_per_capita: str = Field(..., description="人均月收入上限（当地月最低工资标准，元）")
    effective_from: dt.date = Field(..., description="该标准的起始执行日期")


class GreenRuleOut(Schema):
    code: str = Field(..., description="绿色通道规则代码")
    name: str = Field(..., description="名称")
    since: dt.date | None = Field(None, description="该规则的生效日期")
    waives_means_test: bool = Field(..., description="该规则是否免除经济困难审查")
    fast_track: bool = Field(..., description="该规则是否快速受理、指派、办理")
    waiver_applied: bool = Field(..., description="本申请是否因该规则免予经济困难审查")
    basis: str = Field(..., description="依据")
    basis_pending: bool = Field(False, description="依据待确认")


class EligibilityOut(Schema):
    eligible: bool = Field(..., description="是否符合法律援助条件（初步判断）")
    means_test: Literal["passed", "failed", "exempt", "not_required", "no_standard"] = Field(
        ..., description="经济困难审查：passed 通过、failed 未通过、exempt 免予审查、not_required 不以经济困难为条件、"
                         "no_standard 申请日没有适用的最低工资标准，无法审查")
    green_channel: bool = Field(..., description="是否适用绿色通道的快速办理（不等于免除经济困难审查，见 means_test）")
    aid_first: bool = Field(..., description="是否可以先行提供法律援助（第四十四条）")
    criteria: list[CriterionOut] = Field(..., description="逐项审查结果")
    standard: StandardOut | None = Field(None, description="适用的经济困难标准（进行经济困难审查时）")
    per_capita_income: str | None = Field(
        None, description="家庭人均月收入（元，四舍五入到分，仅供显示；比较时不取整）")
    engine_version: str = Field(..., description="规则引擎版本")
    grounds: list[str] = Field(default_factory=list, description="刑事案件所依据的全部援助情形代码")
    green_channel_rules: list[GreenRuleOut] = Field(default_factory=list, description="适用的绿色通道规则")
    means_test_waived_by: list[str] = Field(default_factory=list, description="免予经济困难审查所依据的审查项代码")


# --- People -------------------------------------------------------------------------------------------------

class TagOut(Schema):
    code: str
    name: str
    source: str = Field(..., description="来源：self_declared 本人申报、document 凭证明、agency 部门数据")


class PersonRef(Schema):
    public_id: uuid.UUID
    name: str


class PersonOut(Schema):
    public_id: uuid.UUID = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    id_number_masked: str = Field(..., description="身份证号（已遮蔽；完整号码只能在办公系统中经审计查看）")
    gender: str = Field(..., description="性别：M 男、F 女，未知为空")
    tags: list[TagOut] = Field(..., description="人员类别")
    intake_center: str = Field(..., description="登记中心")
    intake_station: str | None = Field(None, description="登记工作站")


class PersonDetailOut(PersonOut):
    birth_date: dt.date | None = None
    phone_masked: str = Field(..., description="联系电话（已遮蔽，如 138****0001；完整号码加密存储）")
    address: str = Field(..., description="住址")
    household_registration: str = Field(..., description="户籍地")
    created_at: dt.datetime


class PersonPage(Schema):
    count: int = Field(..., description="符合条件的总数")
    page: int
    page_size: int
    items: list[PersonOut]


class PersonFilters(Schema):
    q: str = Field("", max_length=60, description="按姓名检索（按电话检索请用 POST /people/search：号码不进查询串）")
    tag: str = Field("", max_length=40, description="人员类别代码")
    page: int = Field(1, ge=1, le=PAGE_MAX, description="页码，从 1 开始")
    page_size: int = Field(25, ge=1, le=100, description="每页条数（最多 100）")


class PersonSearchIn(Strict):
    q: str = Field("", max_length=60, description="姓名、电话末 4 位或完整电话号码")
    tag: str = Field("", max_length=40, description="人员类别代码")
    page: int = Field(1, ge=1, le=PAGE_MAX, description="页码，从 1 开始")
    page_size: int = Field(25, ge=1, le=100, description="每页条数（最多 100）")


class PersonCreateIn(Strict):
    name: str = Field(..., min_length=1, max_length=60, description="姓名")
    id_number: str = Field("", max_length=30, description="居民身份证号码（加密存储，仅返回遮蔽形式）")
    # The office form's rule (core.bounds): before, the API stored any text of 20 characters as a phone.
    phone: str = Field("", pattern=f"^$|{bounds.PHONE_PATTERN}", max_length=bounds.PHONE_MAX,
                       description="联系电话（数字、空格、+ 和 -，5 到 20 位）")
    address: str = Field("", max_length=200, description="住址")
    household_registration: str = Field("", max_length=200, description="户籍地")
    tags: list[str] = Field(default_factory=list, max_length=20, description="人员类别代码（本人申报），如 "
                            "low_income_allowance")
    intake_station: int | None = Field(None, description="登记工作站编号（中心人员可选；工作站人员自动为本站）")


# --- Cases --------------------------------------------------------------------------------------------------

class CaseFilters(Schema):
    status: StatusCode | None = Field(None, description="按状态筛选")
    q: str = Field("", max_length=60, description="按受理编号、申请人姓名或案由检索")
    page: int = Field(1, ge=1, le=PAGE_MAX, description="页码，从 1 开始")
    page_size: int = Field(25, ge=1, le=100, description="每页条数（最多 100）")


class CaseSummaryOut(Schema):
    public_id: uuid.UUID = Field(..., description="案件编号（用于接口地址）")
    number: str = Field(..., description="受理编号")
    status: str = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态（中文）")
    case_type: str
    matter: str = Field(..., description="援助事项代码（刑事案件为空）")
    criminal_ground: str
    matter_summary: str = Field(..., description="案由")
    center: str = Field(..., description="受理中心")
    receiving_station: str | None = Field(None, description="接收工作站")
    applicant: PersonRef
    provider: str | None = Field(None, description="当前承办人员")
    green_channel: bool
    aid_first: bool
    received_at: dt.datetime
    updated_at: dt.datetime


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseSummaryOut]


class EventOut(Schema):
    kind: str = Field(..., description="事件代码")
    from_status: str
    to_status: str
    actor: str = Field(..., description="操作人（系统任务为“系统”）")
    at: dt.datetime
    note: str


class DecisionOut(Schema):
    kind: str
    reasons: str
    decided_at: dt.datetime
    document_number: str


class AssignmentOut(Schema):
    provider: str
    method: str
    assigned_at: dt.datetime
    accepted_at: dt.datetime | None
    is_active: bool
    end_reason: str


class DocumentOut(Schema):
    kind: str
    kind_label: str
    number: str
    created_at: dt.datetime


class CaseDetailOut(CaseSummaryOut):
    agent: PersonRef | None = None
    agent_relationship: str
    criminal_stage: str
    in_custody: bool
    opposing_party: str
    handling_organ: str
    facts: str
    household_size: int | None = Field(None, description="家庭人口（承办人员不可见，为 null）")
    household_monthly_income: Decimal | None = Field(None, description="家庭月收入（承办人员不可见，为 null）")
    income_source: str | None = Field(None, description="收入核查方式（承办人员不可见，为 null）")
    groups: list[str]
    special_facts: list[str]
    events: list[EventOut] = Field(..., description="时间线（全部事件，按时间排序）")
    decisions: list[DecisionOut]
    assignments: list[AssignmentOut]
    documents: list[DocumentOut]


class RecordOut(Schema):
    type: str = Field(..., description="本次操作新建或更新的记录类型，如 decision、assignment")
    id: str
    data: dict[str, Any] = Field(default_factory=dict)


class CaseActionOut(CaseSummaryOut):
    record: RecordOut | None = Field(None, description="本次操作产生的记录（如审查决定、指派）")


class CaseCreateIn(Strict):
    applicant_id: uuid.UUID = Field(..., description="申请人的人员编号（须先登记人员）")
    case_type: CaseTypeCode
    matter_summary: str = Field(..., max_length=bounds.MATTER_SUMMARY_MAX, description="案由，如“追索劳动报酬”")
    channel: ChannelCode = Field("counter", description="申请渠道")
    matter: str = Field("", max_length=40, description="援助事项代码（非刑事案件必填；目录外请填 other）")
    criminal_ground: str = Field("", max_length=40, description="刑事援助情形代码（刑事案件必填）")
    criminal_stage: CriminalStageCode = Field("", description="诉讼阶段（刑事案件必填）")
    in_custody: bool = False
    agent_id: uuid.UUID | None = Field(None, description="代为申请人的人员编号")
    agent_relationship: AgentRelationshipCode = ""
    opposing_party: str = Field("", max_length=bounds.OPPOSING_PARTY_MAX)
    opposing_party_id_number: str = Field("", max_length=30, description="对方当事人身份证号（仅用于利益冲突检查）")
    handling_organ: str = Field("", max_length=bounds.HANDLING_ORGAN_MAX, description="办案机关/争议处理机关")
    facts: str = Field("", max_length=TEXT_MAX, description="案情摘要")
    household_size: int = Field(1, ge=1, le=MAX_HOUSEHOLD)
    household_monthly_income: Decimal = Field(Decimal("0"), ge=0, le=MAX_INCOME, decimal_places=2)
    income_source: IncomeSourceCode = "self_declared"
    groups: list[GroupCode] = Field(default_factory=list)
    special_facts: list[FactCode] = Field(default_factory=list)


class NoteIn(Strict):
    note: str = Field("", max_length=TEXT_MAX)


class SupplementRequestIn(Strict):
    items: list[str] = Field(..., min_length=1, max_length=50, description="需要补充的全部材料（一次性告知）")
    note: str = Field("", max_length=TEXT_MAX)
    due_on: dt.date | None = Field(None, description="补充期限（默认按现行期限规则计算，遇节假日顺延）")


class DecideIn(Strict):
    kind: DecisionCode = Field(..., description="grant 给予、refuse 不予、aid_first 先行提供")
    reasons: str = Field("", max_length=TEXT_MAX, description="理由（与审查结果不一致时必填）")


class ReasonsIn(Strict):
    reasons: str = Field("", max_length=TEXT_MAX)


class AssignIn(Strict):
    provider_id: int | None = Field(None, description="承办人员编号；留空按轮派")
    reason: str = Field("", max_length=REASON_MAX, description="未按轮派顺序指派时的理由")
    method: AssignmentMethodCode | None = Field(None, description="client_choice 表示受援人点援")


class ReasonIn(Strict):
    reason: str = Field(..., max_length=REASON_MAX)


class AgreementIn(Strict):
    signed_on: dt.date = Field(..., description="委托协议签订日期")


class ProgressIn(Strict):
    kind: ProgressKindCode
    occurred_on: dt.date
    summary: str = Field(..., max_length=TEXT_MAX)
    court: str = Field("", max_length=120)
    hearing_at: AwareDatetime | None = Field(None, description="开庭时间（带时区，如 2026-03-01T09:30:00+08:00）")


class ClosingIn(Strict):
    outcome: OutcomeCode
    report: str = Field(..., max_length=TEXT_MAX, description="承办情况报告（不少于 10 个字）")
    money_recovered: Decimal = Field(Decimal("0"), ge=0, le=MAX_MONEY, decimal_places=2)
    money_saved: Decimal = Field(Decimal("0"), ge=0, le=MAX_MONEY, decimal_places=2)


class ClosingReviewIn(Strict):
    accept: bool = Field(..., description="true 审查通过结案；false 退回补正")
    notes: str = Field("", max_length=TEXT_MAX)


class TerminateIn(Strict):
    reason: TerminationReasonCode
    explanation: str = Field(..., max_length=TEXT_MAX)
    provider_report: str = Field("", max_length=TEXT_MAX)


class ObjectionIn(Strict):
    grounds: str = Field(..., max_length=TEXT_MAX)


class ObjectionDecisionIn(Strict):
    uphold: bool = Field(..., description="true 维持原决定；false 异议成立")
    reasons: str = Field(..., max_length=TEXT_MAX)


class ChangeProviderIn(Strict):
    reason: str = Field(..., max_length=REASON_MAX, description="受援人申请更换的理由")
    provider_id: int | None = Field(None, description="新的承办人员编号；留空按轮派")
