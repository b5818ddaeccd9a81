"""The demo city's quality records (issue 12), through the quality services, after the replayed year: so also into
a database seeded before quality existed. Each part seeds only what is missing, so running it again adds nothing.

While the year is replayed the quality subscribers already propose the grades at acceptance, open the closing
evaluations and draw the follow-ups at closing, and the history records the collective discussion a major or
difficult case needs before its closing (``history._discuss_if_needed``). Here, for every case that lacks them:
the grade proposed and confirmed (cases accepted in the last fortnight stay for the centers to confirm), the
recipients' ratings on the public site fed in, attendance at about one hearing in four the providers entered, every
closed case's evaluation completed (so every closed case has a grade), and the drawn follow-ups done except the
last fortnight's. Scores come from each case's id, so a re-seed gives the same figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import Case, CaseEvent, ProgressEntry, ProgressKind, Status
from fayuan.portal.models import Rating
from fayuan.quality import services
from fayuan.quality.models import (
    CaseGrading,
    ClosingEvaluation,
    FollowUpVisit,
    HearingAttendance,
    StageEvaluation,
    VisitStatus,
)
from fayuan.quality.selectors import CLOSED_STATUSES

ACCEPTED = ("grant", "provide_aid_first", "overturn_refusal", "overturn_termination", "assign")
NOT_ACCEPTED = (Status.AT_STATION, Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.UNDER_REVIEW,
                Status.REFUSED, Status.OBJECTION, Status.WITHDRAWN)
RECENT = dt.timedelta(days=14)
OPINIONS = ["代理（辩护）意见明确，庭审准备充分。", "庭审中举证质证较为规范，个别意见针对性不强。",
            "能够按时出庭，文书质量较好。", "辩护意见部分被采纳，与法院沟通及时。"]
OBSERVATIONS = ["准时出庭，发问和质证围绕争议焦点，发言条理清楚。", "庭前准备较充分，质证意见略显简单。",
                "辩论意见有理有据，庭审纪律良好。"]
RESULTS = {"satisfied": "受援人表示律师认真负责，及时告知进展，未收取任何费用。",
           "basic": "受援人对结果基本认可，希望律师多沟通。",
           "dissatisfied": "受援人认为律师联系不够及时，已转中心核实。"}


@dataclass
class QualityResult:
    graded: int = 0
    confirmed: int = 0
    ratings: int = 0
    attendances: int = 0
    evaluations: int = 0
    visits: int = 0


def _roll(key: object, salt: str) -> int:
    """0-99, fixed by the record and the purpose."""
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % 100


def _reviewers() -> dict[int, User]:
    found: dict[int, User] = {}
    for user in User.objects.filter(role=Role.CENTER_REVIEWER, is_active=True, center__isnull=False).order_by("pk"):
        assert user.center_id is not None  # noqa: S101 -- filtered above
        found.setdefault(user.center_id, user)
    return found


def _event_times(kinds: tuple[str, ...]) -> dict[int, dt.datetime]:
    """The first time each case had one of these events."""
    times: dict[int, dt.datetime] = {}
    for case_id, at in CaseEvent.objects.filter(kind__in=kinds).order_by("at", "pk").values_list("case_id", "at"):
        times.setdefault(case_id, at)
    return times


def seed_quality() -> QualityResult:
    result = QualityResult()
    reviewers = _reviewers()
    now = timezone.now()
    _grades(result, reviewers, now)
    _ratings(result)
    _attendances(result, reviewers)
    _evaluations(result, reviewers)
    _visits(result, reviewers, now)
    return result


def _grades(result: QualityResult, reviewers: dict[int, User], now: dt.datetime) -> None:
    accepted = _event_times(ACCEPTED)
    ungraded = (Case.objects.exclude(status__in=NOT_ACCEPTED).filter(quality_grading__isnull=True)
                .order_by("pk"))
    for case in ungraded:
        with transaction.atomic():
            services.grading_propose(actor=None, case=case, at=accepted.get(case.pk, case.received_at))
        result.graded += 1
    pending = (CaseGrading.objects.filter(confirmed_at__isnull=True, proposed_at__lt=now - RECENT)
               .select_related("case").order_by("pk"))
    for grading in pending:
        reviewer = reviewers.get(grading.case.center_id)
        if reviewer is None:
            continue
        with transaction.atomic():
            services.grading_confirm(actor=reviewer, public_id=grading.case.public_id,
                                     grade=grading.proposed_grade, criteria=[],
                                     at=min(grading.proposed_at + dt.timedelta(days=1), now))
        result.confirmed += 1


def _ratings(result: QualityResult) -> None:
    fed = set(StageEvaluation.objects.exclude(external_ref="").values_list("external_ref", flat=True))
    for rating in Rating.objects.order_by("pk"):
        if f"portal.rating:{rating.pk}" in fed:
            continue
        with transaction.atomic():
            services.stage_evaluation_from_rating(actor=None, case_id=rating.case_id, rating_id=rating.pk,
                                                  stage=rating.stage, score=rating.score, comment=rating.comment,
                                                  provider_id=rating.provider_id, at=rating.created_at)
        result.ratings += 1


def _attendances(result: QualityResult, reviewers: dict[int, User]) -> None:
    planned = set(HearingAttendance.objects.filter(progress_entry__isnull=False)
                  .values_list("progress_entry_id", flat=True))
    today = timezone.localdate()
    hearings = (ProgressEntry.objects.filter(kind=ProgressKind.HEARING, hearing_at__isnull=False)
                .select_related("case").order_by("pk"))
    for entry in hearings:
        reviewer = reviewers.get(entry.case.center_id)
        if entry.pk in planned or reviewer is None or _roll(entry.pk, "attend") >= 25:
            continue
        # The case may have closed since: attendance is planned from the case, whatever its state now.
        with transaction.atomic():
            attendance = services.attendance_plan(actor=reviewer, public_id=entry.case.public_id,
                                                  attendee=reviewer.display_name or reviewer.username,
                                                  progress_entry_id=entry.pk)
            if timezone.localdate(entry.hearing_at) <= today:
                services.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True,
                                           observations=OBSERVATIONS[entry.pk % len(OBSERVATIONS)],
                                           score=70 + _roll(entry.pk, "attend-score") % 28)
        result.attendances += 1


def _evaluations(result: QualityResult, reviewers: dict[int, User]) -> None:
    closed_at = _event_times(("accept_closing",))
    rubric_cache: dict[dt.date, list[tuple[int, str, int]]] = {}
    todo = (Case.objects.filter(status__in=CLOSED_STATUSES)
            .exclude(quality_evaluation__completed_at__isnull=False).order_by("pk"))
    for case in todo:
        reviewer = reviewers.get(case.center_id)
        if reviewer is None:
            continue
        at = closed_at.get(case.pk, case.updated_at)
        day = timezone.localdate(at)
        if day not in rubric_cache:
            rubric = services.inspection_rubric(day)
            rubric_cache[day] = services.rubric_items(rubric) if rubric else []
        items = rubric_cache[day]
        # Files differ: a few are poor throughout, some weak, most lose a few points here and there.
        level = _roll(case.pk, "level")
        share = 90 if level < 3 else 55 if level < 18 else 35 if level < 60 else 15  # at most, % of each item
        scores: dict[int, Decimal] = {}
        for item_id, _title, max_points in items:
            halves = _roll(f"{case.pk}:{item_id}", "lost") * max_points * share * 2 // 10000  # in half points
            scores[item_id] = max_points - Decimal(halves) / 2
        organ = case.handling_organ and _roll(case.pk, "organ") < 70
        with transaction.atomic():
            if not ClosingEvaluation.objects.filter(case=case).exists():
                services.evaluation_open(actor=None, case=case, at=at)
            services.evaluation_complete(
                actor=reviewer, public_id=case.public_id, scores=scores,
                organ_opinion=OPINIONS[case.pk % len(OPINIONS)] if organ else "",
                organ_score=72 + _roll(case.pk, "organ-score") % 27 if organ else None,
                at=min(at + dt.timedelta(days=3 + case.pk % 10), timezone.now()))
        result.evaluations += 1


def _visits(result: QualityResult, reviewers: dict[int, User], now: dt.datetime) -> None:
    closed_at = _event_times(("accept_closing",))
    drawn = set(FollowUpVisit.objects.values_list("case_id", flat=True))
    for case in Case.objects.filter(status__in=CLOSED_STATUSES).exclude(pk__in=drawn).order_by("pk"):
        with transaction.atomic():
            services.followup_draw(actor=None, case=case, at=closed_at.get(case.pk, case.updated_at))
    due = FollowUpVisit.objects.filter(status=VisitStatus.DUE, created_at__lt=now - RECENT).order_by("pk")
    for visit in due:
        reviewer = reviewers.get(visit.center_id)
        if reviewer is None:
            continue
        roll = _roll(visit.case_id, "visit")
        reached = roll >= 5
        satisfaction = "satisfied" if roll >= 25 else "basic" if roll >= 10 else "dissatisfied"
        visited = min(timezone.localdate(visit.created_at) + dt.timedelta(days=7 + roll % 14), timezone.localdate())
        with transaction.atomic():
            services.followup_record(
                actor=reviewer, visit_id=visit.pk, visited_on=visited, reached=reached,
                result=RESULTS[satisfaction] if reached else "三次致电均无人接听。",
                satisfaction=satisfaction if reached else "")
        result.visits += 1
