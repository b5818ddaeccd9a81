"""Writes of outreach: registering households (by hand, or from the recipient registry), visit plans, visits with
the needs found, early-intervention tasks (open → in progress → closed with an outcome) and contact-card batches.
Stations and centers write within their district; bureaus read. Every write is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.consultations.models import ConsultationChannel
from fayuan.consultations.services import consultation_record
from fayuan.core.audit import audit_record
from fayuan.core.crypto import encrypt_text, lookup_hash
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.org.models import Center, Station, StationKind, StationType
from fayuan.people.idnumber import InvalidIdNumber, parse
from fayuan.places.models import Place

from . import rules
from .masking import mask_name
from .models import (
    CardBatch,
    CardIssue,
    CardKind,
    Household,
    HouseholdMember,
    HouseholdOrigin,
    Intervention,
    InterventionOutcome,
    InterventionStatus,
    NeedTopic,
    Visit,
    VisitNeed,
    VisitPlan,
)
from .selectors import (
    OUTREACH_READERS,
    OUTREACH_WRITERS,
    covers,
    household_get_for_user,
    intervention_get_for_user,
    places_visible_to,
    plan_get_for_user,
    staff_for_district,
)

MAX_MEMBERS = 20
MAX_PLAN_HOUSEHOLDS = 500
MAX_BATCH_CARDS = 400
GUARDED_SITES = frozenset({StationType.DETENTION_CENTER, StationType.PRISON, StationType.POLICE,
                           StationType.MILITARY})


def _require_writer(actor: User) -> None:
    if actor.role not in OUTREACH_WRITERS:
        raise PermissionDenied("只有工作站和法律援助中心的工作人员可以登记走访、早期介入和联系卡。")


def _text(value: str, *, field: str, label: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=field)
    return value


def _place(actor: User, place_id: Any) -> Place:
    place = places_visible_to(actor).filter(pk=place_id).first() if place_id else None
    if place is None:
        raise ValidationFailed("请选择本辖区的村（社区）。", field="place_id")
    return place


# --- Households ---------------------------------------------------------------------------------------------------


@dataclass
class MemberInput:
    name: str
    relation: str = ""
    category: str = ""
    id_number: str = ""


@dataclass
class HouseholdInput:
    place_id: int
    head_name: str
    address: str = ""
    members: list[MemberInput] = field(default_factory=list)


def _member_row(household: Household, m: MemberInput, index: int) -> HouseholdMember:
    name = _text(m.name, field=f"members.{index}.name", label="成员姓名", low=1, high=60)
    row = HouseholdMember(household=household, name=name, relation=(m.relation or "").strip()[:20],
                          category=(m.category or "").strip()[:40])
    if (m.id_number or "").strip():
        try:
            number = parse(m.id_number)
        except InvalidIdNumber as exc:
            raise ValidationFailed(f"{name}的身份证号有误：{exc}", field=f"members.{index}.id_number") from exc
        row.id_hash = lookup_hash(number.value)
        row.id_number_encrypted = encrypt_text(number.value)
        row.id_number_masked = number.masked
    return row


@atomic_service
def household_register(*, actor: User, data: HouseholdInput) -> Household:
    """A household found on a visit, registered by hand (the head is the first member)."""
    _require_writer(actor)
    place = _place(actor, data.place_id)
    head = _text(data.head_name, field="head_name", label="户主姓名", low=1, high=60)
    members = data.members or [MemberInput(name=head, relation="户主")]
    if len(members) > MAX_MEMBERS:
        raise ValidationFailed(f"一户最多登记 {MAX_MEMBERS} 名成员。", field="members")
    household = Household(place=place, head_name=head, address=(data.address or "").strip()[:200],
                          origin=HouseholdOrigin.MANUAL, registered_by=actor)
    rows = [_member_row(household, m, i) for i, m in enumerate(members)]
    hashes = [r.id_hash for r in rows if r.id_hash]
    if len(hashes) != len(set(hashes)):
        raise ValidationFailed("同一身份证号在本户中登记了两次。", field="members")
    household.save()
    HouseholdMember.objects.bulk_create(rows)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=household,
                 detail={"place": place.code, "members": len(rows), "origin": HouseholdOrigin.MANUAL})
    return household


# --- Visit plans --------------------------------------------------------------------------------------------------


@dataclass
class PlanInput:
    title: str
    period_start: dt.date
    period_end: dt.date
    household_ids: list[int]
    staff_ids: list[int]


def _plan_office(actor: User) -> tuple[Center, Station | None, int]:
    if actor.role == Role.STATION_CLERK and actor.station is not None:
        return actor.station.center, actor.station, actor.station.district_id
    center = actor.center
    if center is None:  # pragma: no cover - the User constraints give center roles a center
        raise PermissionDenied("您的账户未关联法律援助中心。")
    district = center.district_id or center.seat_district_id
    if district is None:
        raise PermissionDenied("本中心未设所辖或所在行政区，不能制定走访计划。")
    return center, None, district


@atomic_service
def plan_create(*, actor: User, data: PlanInput) -> VisitPlan:
    _require_writer(actor)
    center, station, district = _plan_office(actor)
    title = _text(data.title, field="title", label="计划名称", low=2, high=100)
    if data.period_end < data.period_start:
        raise ValidationFailed("结束日期不能早于开始日期。", field="period_end")
    if (data.period_end - data.period_start).days > rules.PLAN_MAX_DAYS:
        raise ValidationFailed("一个走访计划最长一年。", field="period_end")
    ids = sorted(set(data.household_ids))
    if not 1 <= len(ids) <= MAX_PLAN_HOUSEHOLDS:
        raise ValidationFailed(f"请选择要走访的家庭（1 到 {MAX_PLAN_HOUSEHOLDS} 户）。", field="household_ids")
    households = list(Household.objects.filter(pk__in=ids, active=True, place__district_id=district))
    if len(households) != len(ids):
        raise ValidationFailed("只能选择本辖区在册的家庭。", field="household_ids")
    staff_ids = sorted(set(data.staff_ids))
    staff = list(staff_for_district(district).filter(pk__in=staff_ids))
    if not staff or len(staff) != len(staff_ids):
        raise ValidationFailed("请选择本辖区工作站或中心的走访人员。", field="staff_ids")
    plan = VisitPlan.objects.create(center=center, station=station, district_id=district, title=title,
                                    period_start=data.period_start, period_end=data.period_end, created_by=actor)
    plan.households.set(households)
    plan.staff.set(staff)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan,
                 detail={"households": len(households), "staff": [u.pk for u in staff]})
    return plan


# --- Visits -------------------------------------------------------------------------------------------------------


@dataclass
class NeedInput:
    topic: str  # NeedTopic.code
    description: str = ""


@dataclass
class VisitInput:
    household_id: int
    visited_on: dt.date
    people_met: str
    notes: str = ""
    needs: list[NeedInput] = field(default_factory=list)
    plan_id: int | None = None


@atomic_service
def visit_record(*, actor: User, data: VisitInput) -> Visit:
    """A visit to a household of the actor's district, with the legal needs found (none is an answer too)."""
    _require_writer(actor)
    household = household_get_for_user(actor, data.household_id)
    if not rules.within_entry_window(data.visited_on, timezone.localdate()):
        raise ValidationFailed("走访日期不能晚于今天，也不能早于一年多以前。", field="visited_on")
    people = _text(data.people_met, field="people_met", label="见到的人", low=1, high=200)
    plan = None
    if data.plan_id:
        plan = plan_get_for_user(actor, data.plan_id)
        if not plan.households.filter(pk=household.pk).exists():
            raise ValidationFailed("该家庭不在所选走访计划中。", field="plan_id")
    codes = [n.topic for n in data.needs]
    if len(codes) != len(set(codes)):
        raise ValidationFailed("同一类法律需求只需登记一次，请合并说明。", field="needs")
    topics = {t.code: t for t in NeedTopic.objects.filter(code__in=codes, active=True)}
    if len(topics) != len(codes):
        raise ValidationFailed("请选择目录中的法律需求类别。", field="needs")
    visit = Visit.objects.create(household=household, plan=plan, visited_on=data.visited_on, visitor=actor,
                                 people_met=people, notes=(data.notes or "").strip()[:2000])
    VisitNeed.objects.bulk_create([VisitNeed(visit=visit, topic=topics[n.topic],
                                             description=(n.description or "").strip()[:300]) for n in data.needs])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=visit,
                 detail={"household": household.pk, "needs": codes, "plan": plan.pk if plan else None})
    return visit


# --- Early-intervention tasks ---------------------------------------------------------------------------------------


@atomic_service
def intervention_open(*, actor: User, need_id: int, assignee_id: int, due_on: dt.date,
                      opened_on: dt.date | None = None) -> Intervention:
    """Open a task from a need found on a visit, for one of the district's staff."""
    _require_writer(actor)
    need = (VisitNeed.objects.select_for_update(of=("self",)).select_related("visit__household__place")
            .filter(pk=need_id).first())
    if need is None or not covers(actor, need.visit.household.place.district_id):
        raise ValidationFailed("请选择本辖区走访中发现的法律需求。", field="need_id")
    if Intervention.objects.filter(need=need).exists():
        raise Conflict("该法律需求已立早期介入任务。")
    today = timezone.localdate()
    opened_on = opened_on or today
    if not need.visit.visited_on <= opened_on <= today:
        raise ValidationFailed("立项日期应在走访之日到今天之间。", field="opened_on")
    if not opened_on <= due_on <= opened_on + dt.timedelta(days=rules.MAX_DUE_DAYS):
        raise ValidationFailed(f"办结期限应在立项后 {rules.MAX_DUE_DAYS} 日内。", field="due_on")
    district = need.visit.household.place.district_id
    assignee = staff_for_district(district).filter(pk=assignee_id).first()
    if assignee is None:
        raise ValidationFailed("承办人应为本辖区工作站或中心的工作人员。", field="assignee_id")
    task = Intervention.objects.create(need=need, household=need.visit.household, assignee=assignee,
                                       opened_on=opened_on, due_on=due_on, opened_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=task,
                 detail={"need": need.pk, "assignee": assignee.pk, "due_on": due_on.isoformat()})
    return task


def _move(actor: User, task_id: Any, to: str) -> Intervention:
    _require_writer(actor)
    task = intervention_get_for_user(actor, task_id, for_update=True)
    if not rules.may_move(task.status, to):
        raise Conflict(f"该任务{task.get_status_display()}，不能{InterventionStatus(to).label}。")
    return task


def _day(value: dt.date | None, task: Intervention, field: str) -> dt.date:
    today = timezone.localdate()
    day = value or today
    if not task.opened_on <= day <= today:
        raise ValidationFailed("日期应在立项之日到今天之间。", field=field)
    return day


@atomic_service
def intervention_start(*, actor: User, task_id: Any, on: dt.date | None = None) -> Intervention:
    task = _move(actor, task_id, InterventionStatus.IN_PROGRESS)
    task.status, task.started_on = InterventionStatus.IN_PROGRESS, _day(on, task, "on")
    task.save(update_fields=["status", "started_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, detail={"status": task.status})
    return task


@dataclass
class CloseInput:
    outcome: str
    note: str
    closed_on: dt.date | None = None
    # For a consultation given: the question and the advice, recorded as a consultation of the actor's office.
    question: str = ""
    advice: str = ""


@atomic_service
def intervention_close(*, actor: User, task_id: Any, data: CloseInput) -> Intervention:
    task = _move(actor, task_id, InterventionStatus.CLOSED)
    if data.outcome not in InterventionOutcome.values:
        raise ValidationFailed("请选择办理结果。", field="outcome")
    note = _text(data.note, field="note", label="办理情况", low=2, high=1000)
    closed_on = _day(data.closed_on, task, "closed_on")
    if task.started_on and closed_on < task.started_on:
        raise ValidationFailed("办结日期不能早于开始处理日期。", field="closed_on")
    if data.outcome == InterventionOutcome.CONSULTATION:
        if not data.question.strip() or not data.advice.strip():
            raise ValidationFailed("提供法律咨询的，请填写咨询问题和解答意见（将登记为咨询记录）。", field="advice")
        moment = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(10)))
        task.consultation = consultation_record(
            actor=actor, channel=ConsultationChannel.STATION if actor.role == Role.STATION_CLERK
            else ConsultationChannel.COUNTER, question=data.question, advice=data.advice,
            caller_name=task.household.head_masked, occurred_at=min(moment, timezone.now()))
    task.status, task.outcome, task.outcome_note = InterventionStatus.CLOSED, data.outcome, note
    task.closed_on, task.closed_by = closed_on, actor
    task.save(update_fields=["status", "outcome", "outcome_note", "closed_on", "closed_by", "consultation"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task,
                 detail={"status": task.status, "outcome": data.outcome,
                         "consultation": task.consultation_id})
    return task


# --- Contact cards ------------------------------------------------------------------------------------------------


def public_site_url() -> str:
    return str(settings.FAYUAN_PUBLIC_URL)


def card_offices(actor: User, place: Place) -> tuple[Center | None, Station | None]:
    """The center of the place's district (else the actor's), and the station on the card: a clerk's own, else the
    nearest township judicial office's station of the district (where villagers go), else the nearest other open
    station; never one behind a guarded door (custody, prison, police, barracks)."""
    center = Center.objects.filter(district_id=place.district_id).first() or (
        actor.station.center if actor.station is not None else actor.center)
    if actor.role == Role.STATION_CLERK and actor.station is not None:
        return center, actor.station
    stations = list(Station.objects.filter(district_id=place.district_id, active=True, kind=StationKind.STATION)
                    .exclude(type__in=GUARDED_SITES))
    offices = [s for s in stations if s.type == StationType.JUDICIAL_OFFICE]
    return center, rules.nearest(place, offices or stations)


@atomic_service
def card_batch_issue(*, actor: User, place_id: Any, kind: str, household_ids: list[int] | None = None,
                     issued_on: dt.date | None = None) -> CardBatch:
    """Issue contact cards to the registered households of one place (all, or those chosen), one card per
    household (to its head) or per member; the card's text is frozen on the batch."""
    _require_writer(actor)
    place = _place(actor, place_id)
    if kind not in CardKind.values:
        raise ValidationFailed("请选择每户一张或每人一张。", field="kind")
    issued_on = issued_on or timezone.localdate()
    if not rules.within_entry_window(issued_on, timezone.localdate()):
        raise ValidationFailed("发放日期不能晚于今天，也不能早于一年多以前。", field="issued_on")
    households = Household.objects.filter(place=place, active=True).prefetch_related("members").order_by("pk")
    if household_ids is not None:
        households = households.filter(pk__in=household_ids)
    chosen = list(households)
    if household_ids is not None and len(chosen) != len(set(household_ids)):
        raise ValidationFailed("只能为该村（社区）在册的家庭发放联系卡。", field="household_ids")
    if not chosen:
        raise ValidationFailed("该村（社区）没有在册的困难家庭。", field="place_id")
    cards: list[tuple[Household, HouseholdMember | None, str]] = []
    for h in chosen:
        if kind == CardKind.HOUSEHOLD:
            cards.append((h, None, mask_name(h.head_name)))
        else:
            cards.extend((h, m, mask_name(m.name)) for m in h.members.all())
    if not 1 <= len(cards) <= MAX_BATCH_CARDS:
        raise ValidationFailed(f"一批最多打印 {MAX_BATCH_CARDS} 张联系卡，请分批发放。", field="household_ids")
    center, station = card_offices(actor, place)
    batch = CardBatch.objects.create(
        place=place, kind=kind, issued_on=issued_on, issued_by=actor,
        center_name=center.name if center else "", center_phone=center.phone if center else "",
        center_address=center.address if center else "", station_name=station.name if station else "",
        station_phone=station.phone if station else "", station_address=station.address if station else "",
        public_url=public_site_url())
    CardIssue.objects.bulk_create([CardIssue(batch=batch, household=h, member=m, name_masked=n)
                                   for h, m, n in cards])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=batch,
                 detail={"place": place.code, "kind": kind, "cards": len(cards),
                         "households": [h.pk for h in chosen]})
    return batch


@atomic_service
def card_batch_printed(*, actor: User, batch: CardBatch) -> CardBatch:
    """Record one print (or reprint) of a batch's sheet, by anyone who may read it."""
    if actor.role not in OUTREACH_READERS or not covers(actor, batch.place.district_id):
        raise PermissionDenied("只能打印本辖区的联系卡。")
    CardBatch.objects.filter(pk=batch.pk).update(prints=F("prints") + 1)
    batch.refresh_from_db(fields=["prints"])
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=batch,
                 detail={"print": batch.prints, "reprint": batch.prints > 1})
    return batch

