"""Forwarding a detained person's application (Legal Aid Law art. 39): an organ's system (or a duty lawyer's)
records it and forwards it to the center; the record shows the 24-hour clock. No personal data in the answers."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime

from fayuan.core import bounds
from fayuan.custody import selectors, services
from fayuan.custody.models import Forwarding

from .auth import api_user
from .idempotency import idempotent
from .schemas import BODY_ERRORS, ERRORS, TEXT_MAX, CriminalStageCode, Strict

router = Router(tags=["羁押人员申请转交"])


class ForwardingIn(Strict):
    name: str = Field(..., max_length=services.NAME_MAX, description="申请人姓名")
    id_number: str = Field("", max_length=30, description="身份证号（如有；不在身边的可不填）")
    criminal_stage: CriminalStageCode = Field(..., description="诉讼阶段")
    criminal_ground: str = Field("none", max_length=40, description="刑事援助情形代码（经济困难申请为 none）")
    matter_summary: str = Field("", max_length=bounds.MATTER_SUMMARY_MAX, description="申请事项（涉嫌罪名、请求）")
    organ_case_number: str = Field("", max_length=80, description="办案机关案号")
    facts: str = Field("", max_length=TEXT_MAX, description="情况说明")
    received_at: AwareDatetime | None = Field(None, description="收到申请的时间（含时区；不填为现在）")
    forward_now: bool = Field(True, description="登记后立即转交法律援助中心")


class ForwardingOut(Schema):
    public_id: uuid.UUID
    body: str = Field(..., description="转交机关或值班律师")
    center: str
    case_public_id: uuid.UUID
    case_number: str
    received_at: dt.datetime
    due_at: dt.datetime | None = Field(None, description="应转交时限（收到后24小时，不因节假日延长）")
    forwarded_at: dt.datetime | None
    state: str = Field(..., description="按时转交、超时转交、待转交、已超时未转交、已撤回")


def _out(forwarding: Forwarding) -> ForwardingOut:
    case = forwarding.case
    return ForwardingOut(public_id=forwarding.public_id, body=forwarding.body_name, center=forwarding.center.name,
                         case_public_id=case.public_id, case_number=case.number, received_at=forwarding.received_at,
                         due_at=forwarding.due_at, forwarded_at=forwarding.forwarded_at,
                         state=selectors.forwarding_state(forwarding, timezone.now()))


@router.post("", response={201: ForwardingOut, **BODY_ERRORS}, summary="登记并转交在押人员的法律援助申请",
             description="办案机关、监管场所的联络人或值班律师登记；案件进入法律援助中心的审查。支持 Idempotency-Key。")
@idempotent
def forwarding_create(request: HttpRequest, payload: ForwardingIn) -> Status:
    user = api_user(request)
    forwarding = services.forwarding_record(actor=user, data=services.ForwardingInput(**payload.model_dump()))
    return Status(201, _out(selectors.forwarding_get_for_user(user, forwarding.public_id)))


@router.get("/{public_id}", response={200: ForwardingOut, **ERRORS}, summary="转交记录（本机关、接收中心、监管部门）")
def forwarding_detail(request: HttpRequest, public_id: str) -> ForwardingOut:
    return _out(selectors.forwarding_get_for_user(api_user(request), public_id))
