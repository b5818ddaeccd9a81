"""The demo's training, through the training services: the city bureau's annual legal aid training class (all
centers' staff and a sample of lawyers), each center's quarterly in-house session for its staff and lawyers, and a
planned session next month. Written after the replayed past. Safe to run again: nothing is added once any training
exists."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Center, Provider, Staff
from fayuan.training.models import TrainingSession
from fayuan.training.services import SessionInput, attendance_record, session_create

TOPICS = [("刑事法律援助业务培训", "值班律师法律帮助、认罪认罚从宽制度实务"),
          ("法律援助案件质量研讨会", "案卷质量标准与结案归档"),
          ("民事法律援助实务培训", "劳动争议、工伤与讨薪案件办理要点"),
          ("法律援助法学习研讨", "法律援助法的受理、审查与指派程序")]


def _attend(actor: User, session: TrainingSession, people: list[str], r: random.Random) -> int:
    n = 0
    for person in people:
        attended = r.random() < 0.88
        hours = session.hours if r.random() < 0.9 else (session.hours / 2).quantize(Decimal("0.1"))
        attendance_record(actor=actor, session_id=session.pk, person=person, attended=attended,
                          hours=hours if attended else None)
        n += attended
    return n


def _people(center: Center | None, r: random.Random, *, staff: int, lawyers: int) -> list[str]:
    s = Staff.objects.filter(active=True).order_by("pk")
    p = Provider.objects.filter(active=True).order_by("pk")
    if center is not None:
        s, p = s.filter(center=center), p.filter(home_center=center)
    staff_ids, provider_ids = list(s.values_list("pk", flat=True)), list(p.values_list("pk", flat=True))
    return ([f"staff:{i}" for i in r.sample(staff_ids, min(staff, len(staff_ids)))]
            + [f"provider:{i}" for i in r.sample(provider_ids, min(lawyers, len(provider_ids)))])


def seed_training(users: dict[str, User]) -> tuple[int, int]:
    """(sessions, attendances marked present)."""
    if TrainingSession.objects.exists():
        return 0, 0
    r = random.Random(11)
    today = timezone.localdate()
    sessions = present = 0
    bureau = users.get("demo_bureau")
    if bureau is not None:
        held_on = today - dt.timedelta(days=150)
        session = session_create(actor=bureau, data=SessionInput(
            title="全市法律援助业务培训班", held_on=held_on, hours=Decimal(12), place="镇江市司法局培训中心",
            topic="法律援助法、刑事法律援助全覆盖、案件质量管理（两天）"))
        present += _attend(bureau, session, _people(None, r, staff=40, lawyers=40), r)
        sessions += 1
    for center in Center.objects.order_by("pk"):
        reviewer = User.objects.filter(role=Role.CENTER_REVIEWER, center=center, is_active=True,
                                       username__startswith="demo_").order_by("username").first()
        if reviewer is None:
            continue
        for quarter in range(4):
            title, topic = TOPICS[(quarter + center.pk) % len(TOPICS)]
            held_on = today - dt.timedelta(days=40 + 90 * quarter + r.randrange(0, 20))
            session = session_create(actor=reviewer, data=SessionInput(
                title=title, held_on=held_on, hours=Decimal(r.choice((2, 3, 4))), place=f"{center.name}会议室",
                topic=topic))
            present += _attend(reviewer, session, _people(center, r, staff=6, lawyers=8), r)
            sessions += 1
        session_create(actor=reviewer, data=SessionInput(
            title="新任法律援助人员岗前培训", held_on=today + dt.timedelta(days=30), hours=Decimal(3),
            place=f"{center.name}会议室", topic="受理、审查与指派流程"))
        sessions += 1
    return sessions, present
