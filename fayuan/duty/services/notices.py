"""Notices routed to a duty station (full coverage in simplified or fast-track procedure): put on the rota.

criminal publishes ``notice.duty_routed`` when it receives such a notice (its module ``dutylink`` holds the contract;
this app does not import criminal, a sibling). Here the notice gets its station (the organ's own duty station, else
that of the detention center holding the person, else one in the organ's district), the day it falls on (the day it
arrived, or the next working day of the holiday calendar) and the lawyer on the published rota for that slot. The
answer goes back as ``duty_notice.staffed`` or ``duty_notice.unstaffed``; help recorded on it as
``duty_notice.helped``. An unstaffed notice is staffed later when a rota covering its day is published or a swap
fills the slot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service, before_commit
from fayuan.deadlines.selectors import holiday_calendar
from fayuan.notifications.services import notification_send
from fayuan.org.models import Organ, Station

from ..models import Duty, HelpRecord, NoticeAssignment, NoticeDutyStatus, RotaMonth, RotaStatus
from ..selectors import duty_stations

# The event names of criminal.dutylink (the contract; the strings are repeated, the apps import neither other).
ROUTED = "notice.duty_routed"
STAFFED, UNSTAFFED, HELPED = "duty_notice.staffed", "duty_notice.unstaffed", "duty_notice.helped"
LOOKAHEAD_DAYS = 40  # the longest run of holidays (Spring Festival with weekends) is far shorter


def first_working_day(on: dt.date) -> dt.date:
    calendar = holiday_calendar()
    for offset in range(LOOKAHEAD_DAYS):
        day = on + dt.timedelta(days=offset)
        if calendar.is_workday(day):
            return day
    return on


def station_for(organ: Organ, *, station_id: int | None, custody_place_id: int | None) -> tuple[Station | None, str]:
    """The duty station that answers the organ's notice, and how it was chosen (Chinese, for the record)."""
    stations = duty_stations()
    if station_id and (station := stations.filter(pk=station_id).first()):
        return station, f"{organ.name}的值班律师工作站"
    if custody_place_id:
        station = stations.filter(organ__pk=custody_place_id).first()
        if station is not None:
            return station, "羁押场所的值班律师工作站"
    # The organ's district: a station of the organ's own center first, a court's before a detention center's.
    station = (stations.filter(district_id=organ.district_id)
               .annotate(own=Case(When(center_id=organ.center_id, then=Value(0)), default=Value(1),
                                  output_field=IntegerField()))
               .order_by("own", "type", "pk").first())
    if station is not None:
        return station, f"{organ.district}的值班律师工作站"
    return None, ""


def _duty_on(station: Station, day: dt.date) -> Duty | None:
    return (Duty.objects.select_related("provider", "station")
            .filter(station=station, date=day, active=True, rota__status=RotaStatus.PUBLISHED).first())


def _answer(assignment: NoticeAssignment, actor: Any, *, name: str, provider_id: int | None, on: dt.date,
            note: str) -> None:
    events.publish(events.Event(
        name=name, subject=assignment, at=assignment.updated_at, actor=actor,
        payload={"notice": str(assignment.notice_public_id), "station_id": assignment.station_id,
                 "provider_id": provider_id, "date": on.isoformat(), "note": note}))


def _staff(assignment: NoticeAssignment, duty: Duty, actor: Any, how: str) -> None:
    assignment.duty, assignment.status = duty, NoticeDutyStatus.STAFFED
    assignment.reason = f"{how}，{duty.date:%Y-%m-%d}值班律师{duty.provider.name}"[:300]
    assignment.save()
    _answer(assignment, actor, name=STAFFED, provider_id=duty.provider_id, on=duty.date, note=assignment.reason)
    pk = assignment.pk
    before_commit(lambda: _tell_lawyer(pk))


def _tell_lawyer(assignment_id: int) -> None:
    """The lawyer on the slot learns of the notice (no personal data in the message: the duty page shows it)."""
    a = NoticeAssignment.objects.select_related("duty__provider", "duty__station", "organ").get(pk=assignment_id)
    if a.duty is None:
        return
    for user in User.objects.filter(role=Role.DUTY_LAWYER, provider_id=a.duty.provider_id, is_active=True):
        notification_send(user=user, title="值班期间有一份法律援助通知",
                          body=f"{a.organ}通知（刑事案件律师辩护全覆盖），请在{a.duty.date:%m月%d日}"
                               f"{a.duty.station}值班时提供法律帮助并登记（法律援助法第三十条）。",
                          link="/office/duty/my/")


@atomic_service
def notice_assignment_receive(*, actor: Any, payload: dict[str, Any]) -> NoticeAssignment:
    """Answer a ``notice.duty_routed`` event: record the slot (or the gap) and tell criminal. Idempotent on the
    notice: a second event for the same notice changes nothing."""
    existing = NoticeAssignment.objects.filter(notice_public_id=payload["notice"]).first()
    if existing is not None:
        return existing
    organ = Organ.objects.select_related("district").get(pk=payload["organ_id"])
    received_at = dt.datetime.fromisoformat(payload["received_at"])
    day = first_working_day(timezone.localdate(received_at))
    station, how = station_for(organ, station_id=payload.get("station_id"),
                               custody_place_id=payload.get("custody_place_id"))
    assignment = NoticeAssignment(
        notice_public_id=payload["notice"], organ=organ, center_id=payload["center_id"],
        person_id=payload.get("person_id"), received_at=received_at, date=day, station=station,
        status=NoticeDutyStatus.UNSTAFFED, reason="")
    duty = _duty_on(station, day) if station is not None else None
    if duty is not None:
        assignment.save()
        _staff(assignment, duty, actor, how)
    else:
        assignment.reason = _gap_reason(organ, station, day)
        assignment.save()
        _answer(assignment, actor, name=UNSTAFFED, provider_id=None, on=day, note=assignment.reason)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assignment,
                 detail={"fields": ["station", "duty", "status"], "status": assignment.status})
    return assignment


def _gap_reason(organ: Organ, station: Station | None, day: dt.date) -> str:
    if station is None:
        return f"{organ.name}、羁押场所及{organ.district}均未设值班律师工作站"
    return f"{station.name}{day:%Y-%m-%d}的已发布值班表上没有值班律师"


def staff_open_notices(*, actor: Any, rota: RotaMonth) -> int:
    """After a rota is published: the unstaffed notices of its center's stations falling in its month get the
    lawyer now on the slot. Runs inside ``rota_publish``'s transaction."""
    first = rota.month
    following = (first + dt.timedelta(days=32)).replace(day=1)
    open_rows = (NoticeAssignment.objects.select_for_update().filter(
        status=NoticeDutyStatus.UNSTAFFED, station__center_id=rota.center_id, date__gte=first, date__lt=following)
        .select_related("station"))
    staffed = 0
    for assignment in open_rows:
        duty = _duty_on(assignment.station, assignment.date) if assignment.station is not None else None
        if duty is not None:
            _staff(assignment, duty, actor, "值班表发布后安排")
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=assignment, detail={"fields": ["duty", "status"]})
            staffed += 1
    return staffed


def move_to_duty(*, actor: Any, old: Duty, new: Duty) -> None:
    """An approved swap: the notices on the old slot go to the replacement, who is told."""
    for assignment in NoticeAssignment.objects.select_for_update().filter(duty=old, status=NoticeDutyStatus.STAFFED):
        _staff(assignment, new, actor, "换班后由替班律师")
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=assignment, detail={"fields": ["duty"]})


def link_help(*, actor: Any, assignment: NoticeAssignment, record: HelpRecord) -> None:
    """The duty lawyer's help record answers the notice (the caller checked it is theirs)."""
    assignment.help_record, assignment.status = record, NoticeDutyStatus.HELPED
    if assignment.duty_id != record.duty_id:
        # Helped on another of the lawyer's duties than the slot: the slot that actually served the notice counts.
        assignment.duty = record.duty
    assignment.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=assignment, detail={"fields": ["help_record", "status"]})
    _answer(assignment, actor, name=HELPED, provider_id=record.provider_id, on=record.duty.date,
            note=f"值班律师登记法律帮助：{record.get_kind_display()}")


def on_notice_routed(event: events.Event) -> None:
    notice_assignment_receive(actor=event.actor, payload=event.payload)


def register() -> None:
    events.subscribe(ROUTED, on_notice_routed, phase=events.IN_TRANSACTION)
