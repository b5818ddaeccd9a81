"""A year of typical cases (plan point 20) through the library's services: each district center reports one or two
of its closed cases for each of the last twelve months, except the months a plan below leaves out (so the
compliance table shows gaps); the city bureau accepts most, returns a few with comments (some resubmitted and
accepted, one still with the center) and leaves the last month's to review; the year with the most accepted cases
gets an excellent-case review by a five-member panel. Written after the replayed past (audit times keep rising):
the submissions are dated now, their months are the months they report for.

Safe to run again, also on a database seeded before the library existed: nothing is added once a typical case
exists. With a small history a center may lack closed cases for a month; that month then shows as missed too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import Case, Status
from fayuan.core.errors import DomainError
from fayuan.org.models import Center
from fayuan.typical_cases.models import ExcellenceReview, TypicalCase
from fayuan.typical_cases.models import Status as TypicalStatus
from fayuan.typical_cases.selectors import criteria_on
from fayuan.typical_cases.services import (
    typical_case_draft,
    typical_case_review,
    typical_case_submit,
    typical_case_update,
)
from fayuan.typical_cases.services_review import (
    excellence_review_open,
    nomination_add,
    panel_member_add,
    scores_record,
)

from .accounts import reviewer_username
from .builders import CITY_KEY

MONTHS = 12
SIGNIFICANCE = {
    "criminal": "本案中法律援助律师认真阅卷、会见，提出的辩护意见被采纳，切实保障了被告人的诉讼权利，"
                "体现了刑事案件律师辩护全覆盖工作的实际效果。",
    "civil": "本案是维护困难群众合法权益的典型案例。法律援助中心快速受理、及时指派，承办律师依法维权，"
             "既维护了受援人的合法权益，也为同类纠纷的化解提供了可资借鉴的做法。",
    "administrative": "本案通过法律援助帮助受援人依法解决行政争议，体现了法律援助在促进依法行政方面的作用。",
    "state_compensation": "本案帮助受援人依法取得国家赔偿，体现了法律援助在保障公民救济权利方面的作用。",
    "non_litigation": "本案以非诉讼方式高效化解纠纷，节约了司法资源，取得了良好的社会效果。",
}
RETURN_COMMENTS = "请补充承办律师收集证据和庭审（调解）中的具体做法，典型意义部分请结合本案展开。"
PANEL = [("周明", "市司法局法律援助处"), ("吴敏", "市律师协会"), ("郑华", "市中级人民法院"), ("孙立", "市人民检察院"),
         ("钱红", "江苏大学法学院")]


@dataclass(frozen=True)
class TypicalResult:
    submitted: int
    accepted: int
    returned: int
    missed: int  # center-months with nothing submitted
    review_year: int | None


def _months(today: dt.date) -> list[dt.date]:
    """The last twelve months before this one, oldest first."""
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def planned(center_index: int, month_index: int) -> int:
    """How many a center reports for a month: 0 on a few months per center (the gaps), else 1 or 2."""
    if (center_index * 5 + month_index * 7) % 11 == 0 or (center_index == 1 and month_index in (3, 4)):
        return 0
    return 2 if (center_index + month_index) % 3 == 0 else 1


def _closed_cases(center: Center) -> list[tuple[Case, dt.date]]:
    """The center's closed cases with the day each closed, earliest first."""
    rows = (Case.objects.filter(center=center, status__in=(Status.CLOSED, Status.ARCHIVED))
            .annotate(closed_at=Max("events__at", filter=Q(events__to_status=Status.CLOSED)))
            .filter(closed_at__isnull=False).order_by("closed_at", "pk"))
    return [(case, timezone.localdate(case.closed_at)) for case in rows]


def _write_up(actor: User, case: Case, period: dt.date) -> TypicalCase | None:
    try:
        typical = typical_case_draft(actor=actor, case_id=case.public_id, period=period)
        typical = typical_case_update(actor=actor, public_id=typical.public_id, data={
            "significance": SIGNIFICANCE.get(case.case_type, SIGNIFICANCE["civil"])})
        return typical_case_submit(actor=actor, public_id=typical.public_id)
    except DomainError:
        return None  # a write-up the checker refuses stays a draft for the center to finish


def seed_typical_cases(users: dict[str, User], centers: dict[str, Center]) -> TypicalResult | None:
    if TypicalCase.objects.exists():
        return None
    bureau = users["demo_bureau"]
    today = timezone.localdate()
    months = _months(today)
    submitted: list[TypicalCase] = []
    writers: dict[int, User] = {}
    missed = 0
    district_keys = sorted(key for key in centers if key != CITY_KEY)
    for ci, key in enumerate(district_keys):
        actor = users.get(reviewer_username(key))
        if actor is None:
            continue
        writers[centers[key].pk] = actor
        pool = _closed_cases(centers[key])
        for mi, period in enumerate(months):
            month_end = (period + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            wanted, done = planned(ci, mi), 0
            while done < wanted:
                i = next((i for i, (_, closed) in enumerate(pool) if closed <= month_end), None)
                if i is None:
                    break
                case, _ = pool.pop(i)
                typical = _write_up(actor, case, period)
                if typical is not None:
                    submitted.append(typical)
                    done += 1
            missed += done == 0
    accepted = returned = 0
    last = months[-1]
    for n, typical in enumerate(submitted):
        if typical.period == last:
            continue  # last month's wait for the bureau
        if n % 9 == 4:
            typical_case_review(actor=bureau, public_id=typical.public_id, accept=False, comments=RETURN_COMMENTS)
            returned += 1
            if n % 2 == 0:
                continue  # still with the center
            reviewer = writers[typical.center_id]
            typical_case_update(actor=reviewer, public_id=typical.public_id, data={
                "handling": typical.handling + "\n承办律师调取了考勤记录、工资支付凭证等证据，并当庭充分发表意见。"})
            typical_case_submit(actor=reviewer, public_id=typical.public_id)
        typical_case_review(actor=bureau, public_id=typical.public_id, accept=True)
        accepted += 1
    return TypicalResult(len(submitted), accepted, returned, missed, _review(bureau))


def _review(bureau: User) -> int | None:
    """The excellent-case review of the year with the most accepted cases: five members score six nominees."""
    accepted = TypicalCase.objects.filter(status=TypicalStatus.ACCEPTED)
    years = sorted({t.period.year for t in accepted}, key=lambda y: -accepted.filter(period__year=y).count())
    if not years or ExcellenceReview.objects.filter(year=years[0]).exists():
        return None
    year = years[0]
    review = excellence_review_open(actor=bureau, year=year)
    members = [panel_member_add(actor=bureau, review_id=review.pk, name=name, affiliation=affiliation)
               for name, affiliation in PANEL]
    nominees = [nomination_add(actor=bureau, review_id=review.pk, typical_case_id=t.public_id)
                for t in accepted.filter(period__year=year).order_by("period", "pk")[:6]]
    criteria = criteria_on(dt.date(year, 12, 31))
    for ni, nomination in enumerate(nominees):
        for mi, member in enumerate(members):
            # Deterministic, believable sheets: each item a little below full marks, varying by nominee and member.
            points = {c.code: max(c.max_points - (ni * 3 + mi * 2 + ci) % (c.max_points // 4 + 1), 0)
                      for ci, c in enumerate(criteria)}
            scores_record(actor=bureau, review_id=review.pk, nomination_id=nomination.pk, member_id=member.pk,
                          points=points)
    return year
