"""The demo's excellent-lawyer team, through the lawyer_team services: the roster's flagged lawyers are admitted by
their center (dated a year or more ago, with a profile written from their specialties), and each center holds a
坐堂 session a month for the past year (recorded: who came, how many consultations, the center's consultation
records of that day linked) and has the next two scheduled. Written after the replayed past. Safe to run again:
members are admitted only when missing, sessions only for a center that has none."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.consultations.models import Consultation
from fayuan.lawyer_team.models import Member, Session
from fayuan.lawyer_team.services import (
    SessionInput,
    SessionRecord,
    member_admit,
    public_stations,
    session_record,
    session_schedule,
)
from fayuan.org.models import Center, Provider, ProviderKind

TOPICS = ["劳动争议与工伤赔偿", "婚姻家庭与赡养", "交通事故赔偿", "农民工讨薪", "老年人权益保护", "未成年人保护"]


@dataclass
class TeamResult:
    admitted: int = 0
    sessions: int = 0
    held: int = 0


def _reviewer(center_id: int) -> User | None:
    return User.objects.filter(role=Role.CENTER_REVIEWER, center_id=center_id, is_active=True,
                               username__startswith="demo_").order_by("username").first()


def _profile(provider: Provider, today: dt.date) -> str:
    fields = "、".join(s.name for s in provider.specialties.all()) or "民事诉讼"
    years = provider.years_of_practice(today)
    firm = provider.firm.name if provider.firm else provider.home_center.name
    return (f"{firm}律师，执业{years}年，擅长{fields}。长期承办法律援助案件，注重调解和释法说理，"
            "定期到法律援助中心和工作站坐堂解答群众咨询。")


def _admit(today: dt.date, r: random.Random) -> int:
    admitted = 0
    flagged = (Provider.objects.filter(excellent_team=True, kind=ProviderKind.LAWYER, active=True)
               .exclude(pk__in=Member.objects.filter(left_on__isnull=True).values("provider_id"))
               .select_related("firm", "home_center").prefetch_related("specialties").order_by("pk"))
    for provider in flagged:
        reviewer = _reviewer(provider.home_center_id)
        if reviewer is None:
            continue
        member_admit(actor=reviewer, provider_id=provider.pk, profile=_profile(provider, today),
                     admitted_on=today - dt.timedelta(days=400 + r.randrange(0, 700)))
        admitted += 1
    return admitted


def _sessions_for(center: Center, reviewer: User, today: dt.date, r: random.Random, result: TeamResult) -> None:
    members = list(Member.objects.filter(provider__home_center=center, left_on__isnull=True).order_by("pk"))
    if not members:
        return
    stations = list(public_stations(center.pk).order_by("pk")[:3])
    for month in range(-12, 2):
        year, index = divmod(today.year * 12 + today.month - 1 + month, 12)
        first = dt.date(year, index + 1, 1)
        day = first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)  # the second Wednesday
        # Only members by that day: in a database seeded before the team existed, its migration dated the flagged
        # lawyers' membership the day it ran, so they sit from then on.
        eligible = [m for m in members if m.admitted_on <= day]
        if not eligible:
            continue
        lawyers = r.sample(eligible, k=min(2, len(eligible)))
        station = r.choice([*stations, None]) if stations else None
        session = session_schedule(actor=reviewer, data=SessionInput(
            held_on=day, starts_at=dt.time(9), ends_at=dt.time(11, 30), member_ids=[m.pk for m in lawyers],
            station_id=station.pk if station else None, topic=r.choice(TOPICS)))
        result.sessions += 1
        if day > today:
            continue
        given = r.randint(3, 12)
        linked = list(Consultation.objects.filter(center=center, occurred_at__date=day)
                      .order_by("occurred_at").values_list("pk", flat=True)[:given])
        came = [m.pk for m in lawyers if r.random() > 0.1] or [lawyers[0].pk]
        session_record(actor=reviewer, session_id=session.pk, data=SessionRecord(
            attended_member_ids=came, consultations_given=given, consultation_ids=linked,
            summary=f"接待群众{given}人次，主要涉及{session.topic}。"))
        result.held += 1


def seed_lawyer_team() -> TeamResult:
    today = timezone.localdate()
    r = random.Random(9)
    result = TeamResult(admitted=_admit(today, r))
    for center in Center.objects.order_by("pk"):
        reviewer = _reviewer(center.pk)
        if reviewer is None or Session.objects.filter(center=center).exists():
            continue
        _sessions_for(center, reviewer, today, r, result)
    return result
