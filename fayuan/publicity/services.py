"""Writes of publicity: a center or a bureau records an event it held or a media item it published. Bad input
changes nothing; each write is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES
from fayuan.core.audit import audit_record
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service

from .models import Channel, EventKind, MediaItem, PublicityEvent


def _organiser(actor: User) -> dict[str, Any]:
    if actor.role in CENTER_ROLES and actor.center_id:
        return {"organiser_center_id": actor.center_id}
    if actor.role in BUREAU_ROLES:
        return {"by_bureau": True, "organiser_district_id": actor.district_id}
    raise PermissionDenied("只有法律援助中心工作人员或司法局可以登记宣传。")


def _text(value: str, *, label: str, name: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


def _past(day: dt.date, *, label: str, name: str) -> dt.date:
    if day > timezone.localdate() or day.year < 2000:
        raise ValidationFailed(f"{label}应为已发生的日期（不晚于今天）。", field=name)
    return day


@dataclass
class EventInput:
    kind: str
    title: str
    held_on: dt.date
    place: str
    audience: int


@atomic_service
def event_record(*, actor: User, data: EventInput) -> PublicityEvent:
    organiser = _organiser(actor)
    if data.kind not in EventKind.values:
        raise ValidationFailed("请选择宣传形式。", field="kind")
    if not 0 <= data.audience <= 1_000_000:
        raise ValidationFailed("受众人数应在 0 到 1000000 之间。", field="audience")
    event = PublicityEvent.objects.create(
        kind=data.kind, title=_text(data.title, label="活动名称", name="title", low=2, high=200),
        held_on=_past(data.held_on, label="活动日期", name="held_on"),
        place=_text(data.place, label="活动地点", name="place", low=2, high=200), audience=data.audience,
        recorded_by=actor, **organiser)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=event,
                 detail={"kind": data.kind, "held_on": data.held_on.isoformat()})
    return event


@dataclass
class MediaInput:
    title: str
    published_on: dt.date
    channel: str
    outlet: str
    reference: str = ""


@atomic_service
def media_record(*, actor: User, data: MediaInput) -> MediaItem:
    organiser = _organiser(actor)
    if data.channel not in Channel.values:
        raise ValidationFailed("请选择媒体类型（报纸、广播、电视、网站、微博、微信）。", field="channel")
    reference = (data.reference or "").strip()
    if len(reference) > 300:
        raise ValidationFailed("链接或版面不能超过 300 字。", field="reference")
    if reference.lower().startswith(("javascript:", "data:")):
        raise ValidationFailed("链接须为网址（http:// 或 https:// 开头）或版面说明。", field="reference")
    item = MediaItem.objects.create(
        title=_text(data.title, label="标题", name="title", low=2, high=200),
        published_on=_past(data.published_on, label="刊播日期", name="published_on"), channel=data.channel,
        outlet=_text(data.outlet, label="媒体名称", name="outlet", low=2, high=100), reference=reference,
        recorded_by=actor, **organiser)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item,
                 detail={"channel": data.channel, "published_on": data.published_on.isoformat()})
    return item
