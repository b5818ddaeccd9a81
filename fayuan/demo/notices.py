"""A year of organs' notices, replayed through the services at the moments they happened: the demo police
bureau notifies in investigation, the demo court at trial (now and then fewer than 15 days before the hearing);
the home center's reviewer assigns each by rotation one to three days later, except yesterday's, still within its
three days. Small and deterministic: the same notices every time, dated relative to today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from fayuan.accounts.models import User
from fayuan.cases.services.assignment import case_assign
from fayuan.core.errors import Conflict
from fayuan.criminal.services import NoticeInput, notice_receive
from fayuan.people import idnumber

from .cases import TZ

NOTICES = 73
EVERY_DAYS = 5  # a year of notices
UNASSIGNED = 1  # the latest notice (yesterday's) waits for its assignment, within the three days
NAMES = ("韩某", "冯某", "褚某", "卫某", "蒋某", "沈某", "杨某", "朱某", "秦某", "尤某", "许某", "何某")
POLICE_GROUNDS = ("minor", "blind_deaf_mute", "mental_incapacity", "life_or_death")
COURT_GROUNDS = ("full_coverage", "minor", "court_discretion", "life_or_death", "blind_deaf_mute")
CHARGES = ("盗窃罪", "故意伤害罪", "诈骗罪", "危险驾驶罪", "抢劫罪", "寻衅滋事罪")


@dataclass
class NoticeResult:
    sent: int = 0
    assigned: int = 0
    full: int = 0


def _input(i: int, court: bool, day: dt.date) -> NoticeInput:
    # Every third person's identity is not yet checked (身份待核实): name only.
    id_number = "" if i % 3 == 2 else idnumber.build("321102", dt.date(1985 + i % 15, 1 + i % 12, 10), 700 + i)
    notice = NoticeInput(kind="defense", name=NAMES[i % len(NAMES)], id_number=id_number, stage="investigation",
                         ground=POLICE_GROUNDS[i % len(POLICE_GROUNDS)], charge=CHARGES[i % len(CHARGES)],
                         custody_place_text="镇江市看守所", organ_case_number=f"({day.year})苏1102公刑{300 + i}号")
    if court:  # every fourth hearing is fewer than 15 days away (a late notice, SPC interpretation art. 49)
        notice.stage, notice.ground = "trial", COURT_GROUNDS[i % len(COURT_GROUNDS)]
        notice.trial_date = day + dt.timedelta(days=10 if i % 4 == 1 else 25)
        notice.organ_case_number = f"({day.year})苏1102刑初{300 + i}号"
    return notice


Step = tuple[dt.datetime, Callable[[], None]]


def notice_steps(*, police: User, court: User, reviewer: User, now: dt.datetime, result: NoticeResult) -> list[Step]:
    """The notices and their assignments as timed steps, for the history's one timeline (so the audit log's times
    still rise with its sequence); each runs inside ``time_machine.travel`` at its moment."""
    steps: list[Step] = []
    sent: dict[int, Any] = {}
    start = now.astimezone(TZ).date() - dt.timedelta(days=(NOTICES - 1) * EVERY_DAYS + 1)  # the last: yesterday

    def send(i: int, court_notice: bool, day: dt.date, at: dt.datetime) -> None:
        sent[i] = notice_receive(actor=court if court_notice else police, data=_input(i, court_notice, day),
                                 received_at=at)
        result.sent += 1

    def assign(i: int) -> None:
        try:
            case_assign(actor=reviewer, public_id=sent[i].case.public_id)
        except Conflict:  # nobody eligible had room that day: the case waits, as it would have
            result.full += 1
        else:
            result.assigned += 1

    for i in range(NOTICES):
        day = start + dt.timedelta(days=i * EVERY_DAYS)
        at = dt.datetime.combine(day, dt.time(9 + i % 6, 15), tzinfo=TZ)
        steps.append((at, partial(send, i, i % 2 == 1, day, at)))
        if i < NOTICES - UNASSIGNED:
            steps.append((at + dt.timedelta(days=1 + i % 3, hours=1), partial(assign, i)))
    return steps
