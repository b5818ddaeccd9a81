"""Organs' notices (通知辩护 / 通知代理): a liaison's token sends one for its own organ and reads back its status,
the case number, the assigned lawyer and the letter number. Another organ's notice is a 404 like a missing one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fayuan.core import bounds
from fayuan.core.params import PAGE_MAX
from fayuan.criminal import selectors, services
from fayuan.criminal.grounds import NoticeGround, NoticeKind, NoticeStage, Procedure, basis_for
from fayuan.criminal.models import Notice

from .auth import api_user
from .idempotency import idempotent
from .schemas import BODY_ERRORS, ERRORS, Strict


def _codes(choices: type[NoticeKind] | type[NoticeStage] | type[NoticeGround] | type[Procedure]) -> str:
    return "；".join(f"{c.value}={c.label}" for c in choices)


class NoticeIn(Strict):
    kind: str = Field(..., max_length=20, description=f"通知类别：{_codes(NoticeKind)}")
    name: str = Field(..., max_length=60, description="当事人姓名（身份未核实的先填姓名）")
    id_number: str = Field("", max_length=30, description="身份证号码；身份待核实的留空")
    stage: str = Field(..., max_length=30, description=f"诉讼阶段：{_codes(NoticeStage)}")
    ground: str = Field(..., max_length=30, description=f"通知理由：{_codes(NoticeGround)}")
    charge: str = Field(..., max_length=100, description="涉嫌罪名")
    custody_place_id: int | None = Field(None, description="羁押场所（看守所）的机关编号")
    custody_place_text: str = Field("", max_length=100, description="羁押场所（列表中没有的）")
    organ_case_number: str = Field("", max_length=80, description="办案机关案号")
    trial_date: dt.date | None = Field(None, description="开庭日期（一审、二审）")
    procedure: str = Field("", max_length=20,
                           description=f"审理程序：{_codes(Procedure)}（留空按 simplified_procedure）")
    simplified_procedure: bool = Field(False, description="适用简易程序或速裁程序（未填 procedure 时按简易程序记录）")
    contact: str = Field("", max_length=100, description="承办人及联系方式")
    facts: str = Field("", max_length=bounds.FACTS_MAX, description="案情摘要")


class NoticeOut(Schema):
    public_id: uuid.UUID
    organ: str
    kind: str
    stage: str
    ground: str
    legal_basis: str = Field(..., description="通知理由的法律依据（“依据待补”表示原文未收入本系统）")
    received_at: dt.datetime
    late: bool = Field(..., description="开庭前不足十五日送达（最高人民法院刑诉法解释第四十九条）")
    identity_pending: bool = Field(..., description="身份待核实（未提供身份证号码）")
    route: str = Field(..., description="处理方式：lawyer=指派法律援助律师；duty=值班律师提供法律帮助（不立案指派）")
    case_number: str = Field(..., description="法律援助案件编号（由值班律师提供法律帮助的为空）")
    status: str = Field(..., description="案件状态；由值班律师提供法律帮助的：duty_staffed 已安排值班律师、"
                                         "duty_unstaffed 当日无值班律师、duty_helped 已提供法律帮助、"
                                         "duty_waiting 待安排")
    status_label: str
    lawyer: str = Field("", description="指派的律师姓名，或提供法律帮助的值班律师姓名（未指派为空）")
    law_firm: str = Field("", description="律师的执业机构")
    letter_number: str = Field("", description="致办案机关函的文号（指派后出具）")
    duty_date: dt.date | None = Field(None, description="值班律师的值班日期（已安排）或提供法律帮助的日期")
    duty_station: str = Field("", description="值班律师工作站")


class NoticePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[NoticeOut]


class NoticeFilters(Schema):
    page: int = Field(1, ge=1, le=PAGE_MAX)
    page_size: int = Field(20, ge=1, le=100)


router = Router(tags=["办案机关通知"])


def duty_status(notice: Notice) -> tuple[str, str, Any]:
    """A duty-routed notice: helped (the lawyer who helped), staffed (the lawyer on the rota for its day),
    unstaffed (nobody on the rota: the center arranges), or waiting (not yet put on the rota)."""
    if notice.duty_lawyer is not None:
        return "duty_helped", "值班律师已提供法律帮助", notice.duty_lawyer
    if notice.duty_status == "staffed" and notice.duty_assigned_lawyer is not None:
        return "duty_staffed", "已安排值班律师", notice.duty_assigned_lawyer
    if notice.duty_status == "unstaffed":
        return "duty_unstaffed", "当日无值班律师，待中心安排", None
    return "duty_waiting", "待值班律师提供法律帮助", None


def notice_out(notice: Notice) -> NoticeOut:
    case = notice.case
    if case is None:  # routed to the duty station: no case, the duty lawyer the center recorded
        status, label, lawyer = duty_status(notice)
        return NoticeOut(
            public_id=notice.public_id, organ=notice.organ.name, kind=notice.kind, stage=notice.stage,
            ground=notice.ground, legal_basis=basis_for(notice.ground).legal_basis, received_at=notice.received_at,
            late=notice.late, identity_pending=not notice.person.id_number_masked, route=notice.route,
            case_number="", status=status, status_label=label,
            lawyer=lawyer.name if lawyer else "", law_firm="", letter_number="",
            duty_date=notice.duty_assigned_for if notice.duty_status == "staffed" else notice.duty_helped_on,
            duty_station=notice.duty_station.name if notice.duty_station else "")
    provider = case.provider
    return NoticeOut(
        public_id=notice.public_id, organ=notice.organ.name, kind=notice.kind, stage=notice.stage,
        ground=notice.ground, legal_basis=basis_for(notice.ground).legal_basis, received_at=notice.received_at,
        late=notice.late, identity_pending=not notice.person.id_number_masked, route=notice.route,
        case_number=case.number,
        status=case.status, status_label=notice.case_status_label, lawyer=provider.name if provider else "",
        law_firm=str(provider.firm) if provider and provider.firm else "",
        letter_number=selectors.letter_number(notice), duty_date=None, duty_station="",
    )


@router.post("", response={201: NoticeOut, **BODY_ERRORS}, summary="发送法律援助通知（办案机关联络人）",
             description="以令牌所属联络人的机关名义通知其对口法律援助中心；中心在三日内指派律师（法律援助法第三十六条）。"
                         "支持 Idempotency-Key。")
@idempotent
def notice_create(request: HttpRequest, payload: NoticeIn) -> Status:
    notice = services.notice_receive(actor=api_user(request), data=services.NoticeInput(**payload.model_dump()))
    return Status(201, notice_out(selectors.notice_get_for_user(api_user(request), notice.public_id, audit=False)))


@router.get("", response={200: NoticePage, **ERRORS}, summary="通知列表（本机关的通知；中心为本中心收到的通知）")
def notice_list(request: HttpRequest, filters: Query[NoticeFilters]) -> NoticePage:
    qs = selectors.notices_visible_to(api_user(request))
    start = (filters.page - 1) * filters.page_size
    rows = list(selectors.with_letters(qs)[start:start + filters.page_size])
    return NoticePage(count=qs.count(), page=filters.page, page_size=filters.page_size,
                      items=[notice_out(n) for n in rows])


@router.get("/{public_id}", response={200: NoticeOut, **ERRORS}, summary="通知详情：状态、案件编号、指派律师、函号")
def notice_detail(request: HttpRequest, public_id: str) -> NoticeOut:
    return notice_out(selectors.notice_get_for_user(api_user(request), public_id))
