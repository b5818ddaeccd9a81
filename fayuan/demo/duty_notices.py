"""Full-coverage notices in simplified and fast-track procedure from the demo court, and the courts' monthly trial
returns, so the duty figures and the coverage per court are not empty. Through the services only: each notice goes
through ``notice_receive`` (dated on the day it arrived) and the duty app puts it on the rota slot of that day; the
demo duty lawyer answers two of those on their own slots with help records; two notices of the month before last,
when no rota was published, stay unstaffed. Runs after the rotas are published; safe to run again (a database
that already has duty-routed notices of the demo court, or a court's return for a month, keeps them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.criminal.models import CourtTrialReturn, Notice
from fayuan.criminal.services import NoticeInput, notice_receive, trial_return_save
from fayuan.deadlines.selectors import holiday_calendar
from fayuan.duty import services as duty_services
from fayuan.duty.models import Duty, NoticeAssignment, NoticeDutyStatus
from fayuan.org.models import Organ, OrganKind
from fayuan.people import idnumber

from .accounts import reviewer_username
from .builders import Org
from .cases import TZ

NAMES = ("钱某", "孙某", "周某", "吴某", "郑某", "王某", "冯某", "陈某")
CHARGES = ("危险驾驶罪", "盗窃罪", "帮助信息网络犯罪活动罪", "诈骗罪", "掩饰、隐瞒犯罪所得罪")
OWN_SLOTS, OTHER_SLOTS, UNSTAFFED, HELPED = 3, 3, 2, 2
RETURN_MONTHS = 3  # this month and the two before


@dataclass
class DutyNoticeResult:
    notices: int = 0
    staffed: int = 0
    unstaffed: int = 0
    helped: int = 0
    returns: int = 0


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _input(i: int) -> NoticeInput:
    # Identified (the history's notices already show identities pending): every demo person has an ID number.
    id_number = idnumber.build("321102", dt.date(1980 + i, 3 + i, 12), 810 + i)
    return NoticeInput(kind="defense", name=NAMES[i % len(NAMES)], id_number=id_number, stage="trial",
                       ground="full_coverage",
                       charge=CHARGES[i % len(CHARGES)], procedure="fast_track" if i % 2 else "simplified",
                       custody_place_text="镇江市看守所" if i % 3 == 0 else "",
                       organ_case_number=f"(2026)苏1102刑初{800 + i}号")


def _days(court: Organ, duty_provider_id: int, today: dt.date) -> list[dt.date]:
    """Past days of the court's station: the demo duty lawyer's own slots first, then others', then two working
    days of the month before last (no rota was published for it: unstaffed)."""
    past = Duty.objects.filter(station_id=court.station_id or 0, active=True, date__lt=today,
                               date__gte=_month_start(today, 1)).order_by("-date")
    own = list(past.filter(provider_id=duty_provider_id).values_list("date", flat=True)[:OWN_SLOTS])
    others = list(past.exclude(provider_id=duty_provider_id).values_list("date", flat=True)[:OTHER_SLOTS])
    calendar = holiday_calendar()
    first = _month_start(today, 2)
    gap = [d for d in (first + dt.timedelta(days=n) for n in range(28)) if calendar.is_workday(d)][3:3 + UNSTAFFED]
    return [*own, *others, *gap]


def seed_duty_notices(org: Org, users: dict[str, User]) -> DutyNoticeResult:
    result = DutyNoticeResult()
    court_user, duty_user = users["demo_court"], users["demo_duty"]
    court = court_user.organ
    today = timezone.localdate()
    if court is not None and court.station_id and duty_user.provider_id and \
            not Notice.objects.filter(organ=court, route="duty").exists():
        for i, day in enumerate(_days(court, duty_user.provider_id, today)):
            at = dt.datetime.combine(day, dt.time(9 + i % 5, 20), tzinfo=TZ)
            notice = notice_receive(actor=court_user, data=_input(i), received_at=at)
            result.notices += 1
            result.staffed += notice.duty_status == NoticeDutyStatus.STAFFED
            result.unstaffed += notice.duty_status == NoticeDutyStatus.UNSTAFFED
        # The demo duty lawyer answers the oldest notices on their own slots with help records.
        mine = (NoticeAssignment.objects.filter(organ=court, status=NoticeDutyStatus.STAFFED,
                                                duty__provider_id=duty_user.provider_id, duty__date__lte=today)
                .select_related("duty", "person").order_by("date")[:HELPED])
        for assignment in mine:
            if assignment.duty is None:
                continue
            duty_services.help_record_create(
                actor=duty_user, duty_id=assignment.duty.pk, person_name=assignment.person.name if assignment.person
                else "某", stage="trial", kind="procedural_advice", assignment_id=assignment.pk,
                notes="告知认罪认罚的法律后果，提出程序选择建议。")
            result.helped += 1
    result.returns = _seed_returns(org, users, today)
    return result


def _seed_returns(org: Org, users: dict[str, User], today: dt.date) -> int:
    """Each center's reviewer enters its courts' months (defendants tried, of them with their own counsel);
    a month already entered is kept (the court may have corrected it)."""
    made = 0
    for key, center in org.centers.items():
        reviewer = users[reviewer_username(key)]
        for court in Organ.objects.filter(center=center, kind=OrganKind.COURT, active=True).order_by("pk"):
            for back in range(RETURN_MONTHS):
                month = _month_start(today, back)
                if CourtTrialReturn.objects.filter(organ=court, month=month).exists():
                    continue
                tried = 24 + (court.pk * 7 + month.month * 3) % 30
                trial_return_save(actor=reviewer, organ_id=court.pk, month=month, defendants_tried=tried,
                                  with_own_counsel=tried * (30 + (court.pk + month.month) % 25) // 100)
                made += 1
    return made
