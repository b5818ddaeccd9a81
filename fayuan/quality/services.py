"""Every write of quality management. The system's own writes (the grade proposed at acceptance, the evaluation
opened and the follow-up drawn at closing, the recipient's rating fed in) run from the case and rating events
(``subscribers``) with ``actor=None``; the center's writes take the signed-in actor and a case it may read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import Case, ProgressEntry, ProgressKind
from fayuan.core import events
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.core.transactions import atomic_service

from . import rules
from .models import (
    AttendanceStatus,
    CaseGrading,
    ClosingEvaluation,
    CollectiveDiscussion,
    CombinationRule,
    FollowUpRule,
    FollowUpVisit,
    Grade,
    GradingCriterion,
    HearingAttendance,
    Rubric,
    RubricPurpose,
    Satisfaction,
    Source,
    Stage,
    StageEvaluation,
    VisitStatus,
)
from .selectors import CLOSED_STATUSES, QUALITY_WRITERS, attendance_get_for_user, quality_case_get, visit_get_for_user

MAX_TEXT = 5000


def _writer(actor: User) -> None:
    if actor.role not in QUALITY_WRITERS or actor.center_id is None:
        raise PermissionDenied("质量管理记录由法律援助中心工作人员填写。")


def _text(value: str, *, label: str, name: str, low: int = 2, high: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationFailed(f"请填写{label}（{low} 到 {high} 字）。", field=name)
    return value


def _past_date(day: Any, *, name: str, label: str) -> dt.date:
    if not isinstance(day, dt.date) or day > timezone.localdate() or day.year < 2000:
        raise ValidationFailed(f"{label}应为不晚于今天的日期。", field=name)
    return day


# ---- grading -------------------------------------------------------------------------------------------------


def _criteria(day: dt.date) -> list[tuple[GradingCriterion, rules.Criterion]]:
    rows = GradingCriterion.objects.in_force_on(day).order_by("code")
    return [(r, rules.Criterion(r.code, r.name, r.grade, r.match_on, tuple(r.match_values), r.basis_label))
            for r in rows]


def _facts(case: Case) -> rules.CaseFacts:
    return rules.CaseFacts(case.criminal_ground or "", case.criminal_stage or "", frozenset(case.groups or ()))


def _reasons(met: list[rules.Criterion]) -> list[dict[str, str]]:
    return [{"code": c.code, "name": c.name, "grade": c.grade, "basis": c.basis} for c in met]


@atomic_service
def grading_propose(*, actor: User | None, case: Case, at: dt.datetime | None = None) -> CaseGrading:
    """The system's proposal from the case's facts and the criteria in force on the day (at acceptance). A case
    graded once keeps its grading (a second grant after an objection changes nothing)."""
    existing = CaseGrading.objects.filter(case=case).first()
    if existing is not None:
        return existing
    at = at or timezone.now()
    met = rules.criteria_met(_facts(case), [c for _r, c in _criteria(timezone.localdate(at))])
    grading = CaseGrading.objects.create(case=case, proposed_grade=rules.grade_for(met), proposed_reasons=_reasons(met),
                                         proposed_at=at)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=grading, detail={"proposed": grading.proposed_grade})
    return grading


@atomic_service
def grading_confirm(*, actor: User, public_id: Any, grade: str, criteria: list[str], reason: str = "",
                    at: dt.datetime | None = None) -> CaseGrading:
    """Staff confirm or change the grade. The grade the criteria imply (the case's facts plus the manual criteria
    ticked) needs no reason; any other grade needs one."""
    _writer(actor)
    if grade not in Grade.values:
        raise ValidationFailed("请选择案件等级。", field="grade")
    case = quality_case_get(actor, public_id, for_update=True)
    grading = CaseGrading.objects.filter(case=case).first()
    if grading is None:
        raise Conflict("案件尚未受理（决定给予援助或指派），还没有等级建议。")
    day = timezone.localdate(grading.proposed_at)
    known = {r.code: c for r, c in _criteria(day)}
    unknown = set(criteria) - set(known)
    if unknown:
        raise ValidationFailed("所选认定标准不存在或已失效。", field="criteria")
    met = rules.criteria_met(_facts(case), known.values(), ticked=criteria)
    implied = rules.grade_for(met)
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ValidationFailed(f"理由不能超过 {MAX_TEXT} 字。", field="reason")
    if grade != implied and len(reason) < 4:
        raise ValidationFailed(f"依据所选标准，本案应为“{Grade(implied).label}”案件；调整为“{Grade(grade).label}”"
                               "须写明理由（不少于 4 个字）。", field="reason")
    grading.grade, grading.criteria, grading.reason = grade, _reasons(met), reason
    grading.confirmed_by, grading.confirmed_at = actor, at or timezone.now()
    grading.save(update_fields=["grade", "criteria", "reason", "confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=grading,
                 detail={"grade": grade, "implied": implied, "criteria": sorted(criteria)})
    return grading


@atomic_service
def discussion_record(*, actor: User, public_id: Any, held_on: dt.date, participants: str, opinions: str,
                      conclusion: str) -> CollectiveDiscussion:
    _writer(actor)
    held_on = _past_date(held_on, name="held_on", label="讨论日期")
    participants = _text(participants, label="参加人员", name="participants")
    opinions = _text(opinions, label="讨论意见", name="opinions")
    conclusion = _text(conclusion, label="结论", name="conclusion")
    case = quality_case_get(actor, public_id, for_update=True)
    if case.status in CLOSED_STATUSES:
        raise Conflict("案件已结案，集体讨论应在结案前进行。")
    discussion = CollectiveDiscussion.objects.create(case=case, held_on=held_on, participants=participants,
                                                     opinions=opinions, conclusion=conclusion, recorded_by=actor,
                                                     recorded_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=discussion, detail={"case": case.pk})
    return discussion


def discussion_missing(case: Case) -> str | None:
    """The closing check quality registers in cases: a major or difficult case closes only after a collective
    discussion (plan point 10: 重大疑难案件集体讨论)."""
    grading = CaseGrading.objects.filter(case_id=case.pk).first()
    if grading is None or not grading.needs_discussion:
        return None
    if CollectiveDiscussion.objects.filter(case_id=case.pk).exists():
        return None
    return (f"本案为{grading.effective_grade_label}案件，结案前须经集体讨论：请法律援助中心先登记集体讨论记录"
            "（日期、参加人员、讨论意见、结论）。")


# ---- stage evaluations -----------------------------------------------------------------------------------------


@atomic_service
def stage_evaluation_from_rating(*, actor: User | None, case_id: int, rating_id: int, stage: str, score: int,
                                 comment: str = "", provider_id: int | None = None,
                                 at: dt.datetime | None = None) -> StageEvaluation | None:
    """A recipient's rating on the public site becomes the recipient's stage evaluation (once per rating)."""
    if stage not in Stage.values or not 1 <= int(score) <= 5:
        raise ValidationFailed("评价阶段或评分不正确。", field="score")
    ref = f"portal.rating:{rating_id}"
    if StageEvaluation.objects.filter(external_ref=ref).exists():
        return None
    evaluation = StageEvaluation.objects.create(case_id=case_id, stage=stage, source=Source.RECIPIENT,
                                                score=int(score), comment=(comment or "")[:MAX_TEXT],
                                                provider_id=provider_id, external_ref=ref, recorded_by=actor,
                                                recorded_at=at or timezone.now())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=evaluation, detail={"stage": stage, "ref": ref})
    return evaluation


@atomic_service
def stage_evaluation_record(*, actor: User, public_id: Any, stage: str, score: Any,
                            comment: str = "") -> StageEvaluation:
    """The center's own evaluation of one stage (one per stage; recording it again corrects it)."""
    _writer(actor)
    if stage not in Stage.values:
        raise ValidationFailed("请选择评价阶段。", field="stage")
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationFailed("请选择 1 到 5 分。", field="score")
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise ValidationFailed(f"意见不能超过 {MAX_TEXT} 字。", field="comment")
    case = quality_case_get(actor, public_id, for_update=True)
    if stage == Stage.CLOSING and case.status not in CLOSED_STATUSES:
        raise Conflict("案件尚未结案，不能评价结案阶段。")
    evaluation, _ = StageEvaluation.objects.update_or_create(
        case=case, stage=stage, source=Source.STAFF,
        defaults={"score": value, "comment": comment, "provider": case.provider, "recorded_by": actor,
                  "recorded_at": timezone.now()})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=evaluation, detail={"stage": stage, "score": value})
    return evaluation


# ---- the closing evaluation ------------------------------------------------------------------------------------


@atomic_service
def evaluation_open(*, actor: User | None, case: Case, at: dt.datetime | None = None) -> ClosingEvaluation:
    """Opened when the closing is accepted, so a closed case without a completed evaluation shows as a gap."""
    evaluation, created = ClosingEvaluation.objects.get_or_create(case=case,
                                                                  defaults={"opened_at": at or timezone.now()})
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=evaluation, detail={"case": case.pk})
    return evaluation


def inspection_rubric(day: dt.date) -> Rubric | None:
    """The file-inspection rubric in force on ``day``: the bureau's own before a sample, the newest first."""
    return (Rubric.objects.in_force_on(day).filter(purpose=RubricPurpose.FILE_INSPECTION)
            .prefetch_related("items").order_by("sample", "-effective_from", "-pk").first())


def rubric_items(rubric: Rubric) -> list[tuple[int, str, int]]:
    return [(i.pk, i.title, i.max_points) for i in rubric.items.all()]


def _mean(values: list[int]) -> Decimal | None:
    return None if not values else (Decimal(sum(values)) / Decimal(len(values))).quantize(rules.TENTH)


@atomic_service
def evaluation_complete(*, actor: User, public_id: Any, scores: Mapping[int, Any], organ_opinion: str = "",
                        organ_score: Any = None, at: dt.datetime | None = None) -> ClosingEvaluation:
    """The closing evaluation: the file inspection on the rubric in force at closing, the organ's opinion (optional:
    not every matter had a court or organ), the recipient's ratings and the attended hearings as they stand, combined
    with the weights in force at closing into the quality grade. Completing again corrects it."""
    _writer(actor)
    case = quality_case_get(actor, public_id, for_update=True)
    if case.status not in CLOSED_STATUSES:
        raise Conflict("案件结案后才能进行结案质量评价。")
    evaluation = ClosingEvaluation.objects.filter(case=case).first() or evaluation_open(actor=None, case=case)
    previous = (evaluation.grade, evaluation.total) if evaluation.completed else ("", None)
    day = timezone.localdate(evaluation.opened_at)
    rubric = inspection_rubric(day)
    rule = CombinationRule.objects.in_force_on(day).order_by("-effective_from").first()
    if rubric is None or rule is None:
        raise Conflict("结案日没有有效的案卷检查评分标准或综合评定规则，请市局先在后台维护。")
    items = rubric_items(rubric)
    try:
        inspection = rules.score_rubric(items, scores)
    except rules.RubricError as exc:
        raise ValidationFailed(exc.message, field=f"item_{exc.item}" if exc.item else "scores") from None
    opinion = (organ_opinion or "").strip()
    if len(opinion) > MAX_TEXT:
        raise ValidationFailed(f"意见不能超过 {MAX_TEXT} 字。", field="organ_opinion")
    organ: int | None = None
    if organ_score not in (None, ""):
        try:
            organ = int(organ_score)
        except (TypeError, ValueError):
            organ = -1
        if not 0 <= organ <= 100:
            raise ValidationFailed("司法机关意见评分应在 0 到 100 分之间。", field="organ_score")
        if not opinion:
            raise ValidationFailed("请记录法院或办案机关的意见。", field="organ_opinion")
    ratings = list(StageEvaluation.objects.filter(case=case, source=Source.RECIPIENT).values_list("score", flat=True))
    attended = list(HearingAttendance.objects.filter(case=case, status=AttendanceStatus.DONE)
                    .values_list("score", flat=True))
    rating = rules.rating_on_100(ratings)
    attendance = _mean([s for s in attended if s is not None])
    combined = rules.combine([
        rules.Part("rating", "受援人评价", rule.weight_rating, rating),
        rules.Part("inspection", f"案卷检查（{rubric}）", rule.weight_inspection, inspection),
        rules.Part("organ", "司法机关意见", rule.weight_organ, Decimal(organ) if organ is not None else None),
        rules.Part("attendance", "庭审旁听", rule.weight_attendance, attendance),
    ], rules.Bands(rule.excellent_from, rule.good_from, rule.pass_from))
    evaluation.rubric, evaluation.rule = rubric, rule
    evaluation.inspection_scores = {str(k): str(v) for k, v in scores.items() if int(k) in {i for i, _t, _m in items}}
    evaluation.inspection_score, evaluation.organ_opinion, evaluation.organ_score = inspection, opinion, organ
    evaluation.rating_score, evaluation.attendance_score = rating, attendance
    evaluation.total, evaluation.grade, evaluation.explanation = combined.total, combined.grade, combined.explanation
    completed_at = at or timezone.now()
    evaluation.completed_by, evaluation.completed_at = actor, completed_at
    evaluation.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=evaluation,
                 detail={"total": str(combined.total), "grade": combined.grade})
    # The rollups (stats, a floor above) count the grade; a correction carries the grade it replaces.
    events.publish(events.Event(name="quality.evaluation_completed", subject=evaluation, at=completed_at,
                                actor=actor, payload={
                                    "case_id": case.pk, "evaluation_id": evaluation.pk, "grade": evaluation.grade,
                                    "total": str(evaluation.total), "previous_grade": previous[0],
                                    "previous_total": None if previous[1] is None else str(previous[1])}))
    return evaluation


# ---- hearing attendance ----------------------------------------------------------------------------------------


@atomic_service
def attendance_plan(*, actor: User, public_id: Any, attendee: str, progress_entry_id: Any = None,
                    hearing_at: dt.datetime | None = None, court: str = "") -> HearingAttendance:
    """Plan to attend a hearing: one the provider entered (its progress entry), or one the staff enter."""
    _writer(actor)
    attendee = _text(attendee, label="旁听人员", name="attendee", high=120)
    case = quality_case_get(actor, public_id, for_update=True)
    entry = None
    if progress_entry_id not in (None, ""):
        pk = parse_id(str(progress_entry_id))
        entry = ProgressEntry.objects.filter(case=case, pk=pk, kind=ProgressKind.HEARING,
                                             hearing_at__isnull=False).first() if pk else None
        if entry is None:
            raise ValidationFailed("所选开庭记录不属于本案。", field="progress_entry")
        hearing_at, court = entry.hearing_at, entry.court
    if hearing_at is None:
        raise ValidationFailed("请填写开庭时间，或选择承办人员登记的开庭。", field="hearing_at")
    court = _text(court, label="法院", name="court", high=120)
    try:
        with transaction.atomic():
            attendance = HearingAttendance.objects.create(
                case=case, progress_entry=entry, hearing_at=hearing_at, court=court, attendee=attendee,
                planned_by=actor, planned_at=timezone.now())
    except IntegrityError:
        raise Conflict("这次开庭已经安排了旁听。") from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=attendance, detail={"case": case.pk})
    return attendance


@atomic_service
def attendance_record(*, actor: User, attendance_id: Any, attended: bool, observations: str,
                      score: Any = None) -> HearingAttendance:
    """The record of an attended hearing (observations and a score on 100), or the reason it was not attended."""
    _writer(actor)
    attendance = attendance_get_for_user(actor, attendance_id)
    attendance = HearingAttendance.objects.select_for_update().get(pk=attendance.pk)
    observations = _text(observations, label="旁听情况" if attended else "取消原因", name="observations")
    value = None
    if attended:
        if attendance.hearing_at.date() > timezone.localdate():
            raise Conflict("开庭日期未到，不能登记旁听情况。")
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= 100:
            raise ValidationFailed("请为庭审表现打分（0 到 100 分）。", field="score")
    attendance.status = AttendanceStatus.DONE if attended else AttendanceStatus.CANCELLED
    attendance.observations, attendance.score = observations, value
    attendance.recorded_by, attendance.recorded_at = actor, timezone.now()
    attendance.save(update_fields=["status", "observations", "score", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=attendance, detail={"status": attendance.status})
    return attendance


# ---- follow-up visits ------------------------------------------------------------------------------------------


def followup_rule(center_id: int, day: dt.date) -> FollowUpRule | None:
    """The center's own rule in force, else the city's default."""
    rows = FollowUpRule.objects.in_force_on(day)
    return (rows.filter(center_id=center_id).order_by("-effective_from").first()
            or rows.filter(center__isnull=True).order_by("-effective_from").first())


@atomic_service
def followup_draw(*, actor: User | None, case: Case, at: dt.datetime | None = None) -> FollowUpVisit | None:
    """At closing: the case is visited when it falls within its center's sample (drawn by its id, reproducible)."""
    at = at or timezone.now()
    rule = followup_rule(case.center_id, timezone.localdate(at))
    if rule is None or not rules.drawn_for_followup(str(case.public_id), rule.rate):
        return None
    visit, created = FollowUpVisit.objects.get_or_create(case=case, defaults={
        "center_id": case.center_id, "provider_id": case.provider_id, "rule": rule, "script": rule.script,
        "created_at": at})
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=visit, detail={"rate": rule.rate})
        events.publish(events.Event(name="quality.followup_drawn", subject=visit, at=at, actor=actor, payload={
            "case_id": case.pk, "visit_id": visit.pk, "status": visit.status, "satisfaction": visit.satisfaction}))
    return visit


@atomic_service
def followup_record(*, actor: User, visit_id: Any, visited_on: dt.date, reached: bool, result: str,
                    satisfaction: str = "") -> FollowUpVisit:
    _writer(actor)
    visit = visit_get_for_user(actor, visit_id)
    visit = FollowUpVisit.objects.select_for_update().get(pk=visit.pk)
    previous = (visit.status, visit.satisfaction)
    visited_on = _past_date(visited_on, name="visited_on", label="回访日期")
    result = _text(result, label="回访情况", name="result")
    if reached and satisfaction not in Satisfaction.values:
        raise ValidationFailed("请选择受援人的满意度。", field="satisfaction")
    visit.status = VisitStatus.DONE if reached else VisitStatus.UNREACHABLE
    visit.visited_on, visit.result = visited_on, result
    visit.satisfaction = satisfaction if reached else ""
    recorded_at = timezone.now()
    visit.recorded_by, visit.recorded_at = actor, recorded_at
    visit.save(update_fields=["status", "visited_on", "result", "satisfaction", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=visit, detail={"status": visit.status})
    # Recording again corrects the visit: the rollups move it from the state it was in.
    events.publish(events.Event(name="quality.followup_recorded", subject=visit, at=recorded_at, actor=actor,
                                payload={"case_id": visit.case_id, "visit_id": visit.pk, "status": visit.status,
                                         "satisfaction": visit.satisfaction, "previous_status": previous[0],
                                         "previous_satisfaction": previous[1]}))
    return visit
