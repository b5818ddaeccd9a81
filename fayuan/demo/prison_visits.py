"""The demo's prison station (江苏省镇江监狱法律援助工作站, under the city center), through the prison_visits services:
two video rooms, a year of video consultations on Tuesdays and Thursdays (most held, some no-shows and cancellations)
and the next three weeks booked, and a legal lecture a month. Lawyers are the city center's, with the demo lawyer
among them so their own list has something. Written after the replayed past. Safe to run again: nothing is added
once the prison has an appointment."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Provider, ProviderKind, Station, StationType
from fayuan.prison_visits.models import Appointment, VideoRoom
from fayuan.prison_visits.services import (
    BookingInput,
    LectureInput,
    appointment_book,
    appointment_cancel,
    appointment_record_outcome,
    lecture_record,
    room_add,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
MATTERS = ["申诉程序咨询", "刑满释放后社会保险接续", "离婚诉讼及子女抚养", "房屋拆迁补偿", "民事赔偿执行",
           "减刑假释条件", "家属工伤赔偿代理", "债务纠纷"]
OUTCOMES = ["解答了申诉的条件和程序，建议其整理原审材料后提出申诉。",
            "告知离婚诉讼的管辖与程序，可委托家属申请法律援助。",
            "解释减刑、假释的法定条件，建议其与监区干警沟通考核情况。",
            "说明民事判决执行的途径，已告知家属到法律援助中心申请。"]
LECTURES = ["服刑人员的合法权利与义务", "刑满释放人员安置帮教政策", "婚姻家庭纠纷的法律常识", "申诉与法律援助",
            "劳动合同与社会保险", "认罪悔罪与减刑假释"]


@dataclass
class PrisonResult:
    appointments: int = 0
    held: int = 0
    lectures: int = 0


def _clerk_or_reviewer(station: Station) -> tuple[User | None, User | None]:
    reviewer = User.objects.filter(role=Role.CENTER_REVIEWER, center_id=station.center_id, is_active=True,
                                   username__startswith="demo_").order_by("username").first()
    clerk = User.objects.filter(role=Role.STATION_CLERK, station=station, is_active=True).first()
    return reviewer, clerk


def _inmate(r: random.Random) -> tuple[str, str]:
    name = r.choice(SURNAMES) + r.choice(["某", "某某"])
    return name, f"3211{r.randrange(100000, 999999)}"


def seed_prison_visits(users: dict[str, User]) -> PrisonResult:
    result = PrisonResult()
    station = Station.objects.filter(type=StationType.PRISON, active=True).order_by("pk").first()
    if station is None or Appointment.objects.filter(station=station).exists():
        return result
    reviewer, clerk = _clerk_or_reviewer(station)
    if reviewer is None:
        return result
    clerk = clerk or reviewer
    rooms = [VideoRoom.objects.filter(station=station, name=name).first()
             or room_add(actor=reviewer, station_id=station.pk, name=name) for name in ("视频会见室一", "视频会见室二")]
    lawyers = list(Provider.objects.filter(active=True, kind=ProviderKind.LAWYER, home_center_id=station.center_id)
                   .order_by("pk")[:6])
    demo = users.get("demo_provider")
    if demo is not None and demo.provider is not None and demo.provider not in lawyers:
        lawyers.append(demo.provider)
    if not lawyers:
        return result
    r = random.Random(15)
    tz = timezone.get_current_timezone()
    today, now = timezone.localdate(), timezone.now()
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(-50, 4):
        for weekday in (1, 3):  # Tuesday and Thursday: the prison's video meeting days
            day = monday + dt.timedelta(weeks=week, days=weekday)
            for slot, hour in enumerate((9, 10, 14)[: r.choice((1, 2, 3))]):
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
                name, number = _inmate(r)
                actor = clerk if slot % 2 else reviewer
                a = appointment_book(actor=actor, data=BookingInput(
                    station_id=station.pk, room_id=rooms[slot % 2].pk, provider_id=r.choice(lawyers).pk,
                    starts_at=start, ends_at=start + dt.timedelta(minutes=45), inmate_name=name, inmate_number=number,
                    matter=r.choice(MATTERS)))
                result.appointments += 1
                roll = r.random()
                if roll < 0.12:
                    appointment_cancel(actor=actor, appointment_id=a.pk, reason=r.choice(
                        ["律师临时出庭", "服刑人员调监", "监狱会见系统检修"]))
                elif start < now and roll < 0.2:
                    appointment_record_outcome(actor=actor, appointment_id=a.pk, status="no_show",
                                               outcome="服刑人员因监区安排未能到场。")
                elif start < now:
                    appointment_record_outcome(actor=actor, appointment_id=a.pk, status="held",
                                               outcome=r.choice(OUTCOMES))
                    result.held += 1
    for month in range(12, 0, -1):
        held_on = today - dt.timedelta(days=30 * month - 10)
        lecture_record(actor=reviewer, data=LectureInput(
            station_id=station.pk, held_on=held_on, topic=LECTURES[month % len(LECTURES)],
            speaker=f"{lawyers[month % len(lawyers)].name}律师", audience=60 + r.randrange(0, 140)))
        result.lectures += 1
    return result
