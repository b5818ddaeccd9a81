"""Every write of the peer review: the city bureau opens a round (the draw), assigns reviewers (one by one or
balanced), the reviewer scores, the center records and completes the improvement of an unqualified result."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import Assignment, Case, CaseEvent
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.core.transactions import atomic_service

from .. import rules as quality_rules
from ..models import Rubric, RubricPurpose
from ..selectors import QUALITY_WRITERS
from . import rules
from .models import ImprovementNote, InspectionRound, PeerSample
from .selectors import (
    REVIEWER_ROLES,
    candidates,
    case_type_label,
    is_city_bureau,
    sample_for_reviewer,
    sample_get_for_user,
)

MAX_TEXT = 5000
SEED_MAX = 2**53  # fits a JSON number and a BigIntegerField


def _city_bureau(actor: User) -> None:
    if not is_city_bureau(actor):
        raise PermissionDenied("年度评查与同行评估由市司法局组织。")


def peer_rubric(day: dt.date) -> Rubric | None:
    """The peer-review rubric in force on ``day``: the bureau's own before the sample, the newest first."""
    return (Rubric.objects.in_force_on(day).filter(purpose=RubricPurpose.PEER_REVIEW)
            .prefetch_related("items").order_by("sample", "-effective_from", "-pk").first())


def rubric_items(rubric: Rubric) -> list[tuple[int, str, int]]:
    return [(i.pk, i.title, i.max_points) for i in rubric.items.all()]


@atomic_service
def round_open(*, actor: User, year: Any, rate: Any, seed: Any = None) -> InspectionRound:
    """Open the year's inspection and draw its sample: ``rate`` percent of the year's closed cases of each center
    and case type (at least one of each non-empty stratum) with ``seed`` (a new random one when none is given),
    which is recorded so the draw can be repeated and checked."""
    _city_bureau(actor)
    today = timezone.localdate()
    year_n, rate_n = parse_id(str(year)), parse_id(str(rate))
    if year_n is None or not 2000 <= year_n <= today.year:
        raise ValidationFailed(f"评查年度应在 2000 年到 {today.year} 年之间。", field="year")
    if rate_n is None or not 1 <= rate_n <= 100:
        raise ValidationFailed("抽查比例应为 1% 到 100%。", field="rate")
    if seed in (None, ""):
        seed_n = secrets.randbelow(SEED_MAX)
    else:
        try:
            seed_n = int(str(seed).strip())
        except ValueError:
            seed_n = -1
        if not 0 <= seed_n < SEED_MAX:
            raise ValidationFailed("随机种子应为非负整数（不超过 16 位）。", field="seed")
    if InspectionRound.objects.filter(year=year_n).exists():
        raise Conflict(f"{year_n} 年度的评查已经抽样，不能重复抽取（可按记录的种子复核）。")
    rubric = peer_rubric(today)
    if rubric is None or quality_rules.rubric_problems([(i, t, m) for i, t, m in rubric_items(rubric)]):
        raise Conflict("没有有效的同行评估评分标准（各项合计 100 分），请先在后台维护。")
    now = timezone.now()
    pool = candidates(year_n, until=now)
    if not pool:
        raise Conflict(f"{year_n} 年度没有已结案的案件，无法抽样。")
    strata = rules.draw(pool, rate=rate_n, seed=seed_n)
    round_ = InspectionRound.objects.create(year=year_n, rate=rate_n, seed=seed_n, rubric=rubric, created_by=actor,
                                            created_at=now, strata=[])
    drawn_ids = [cid for s in strata for cid in s.drawn]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=drawn_ids).select_related("center")}
    PeerSample.objects.bulk_create([
        PeerSample(round=round_, case_id=cid, center_id=cases[cid].center_id, case_type=cases[cid].case_type,
                   provider_id=cases[cid].provider_id) for cid in drawn_ids])
    round_.strata = [{"center_id": s.center_id, "center": cases[s.drawn[0]].center.name, "case_type": s.case_type,
                      "case_type_label": case_type_label(s.case_type), "population": s.population,
                      "drawn": len(s.drawn)} for s in strata]
    round_.save(update_fields=["strata"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=round_,
                 detail={"year": year_n, "rate": rate_n, "seed": seed_n, "drawn": len(drawn_ids)})
    return round_


# ---- reviewers -------------------------------------------------------------------------------------------------


def reviewer_facts(user: User) -> rules.Reviewer:
    provider = user.provider if user.provider_id else None
    center_id = user.center_id if user.center_id else (provider.home_center_id if provider else None)
    return rules.Reviewer(user.pk, center_id, provider.firm_id if provider else None, user.provider_id)


def case_parties(case: Case) -> rules.CaseParties:
    handlers = frozenset(uid for uid in CaseEvent.objects.filter(case=case, actor__isnull=False)
                         .values_list("actor_id", flat=True).distinct() if uid is not None)
    providers = frozenset(Assignment.objects.filter(case=case).values_list("provider_id", flat=True))
    firm_id = case.provider.firm_id if case.provider_id and case.provider else None
    return rules.CaseParties(case.center_id, case.provider_id, firm_id, handlers, providers)


def _reviewer(reviewer_id: Any) -> User:
    pk = parse_id(str(reviewer_id))
    user = (User.objects.filter(pk=pk, is_active=True, role__in=REVIEWER_ROLES).select_related("provider").first()
            if pk is not None else None)
    if user is None or (user.center_id is None and user.provider_id is None):
        raise ValidationFailed("评估人应为在岗的法律援助中心工作人员或律师。", field="reviewer")
    return user


def _round_sample(actor: User, sample_id: Any) -> PeerSample:
    _city_bureau(actor)
    pk = parse_id(str(sample_id))
    # of=self: PostgreSQL locks no row on the nullable side of the outer join to the provider.
    sample = (PeerSample.objects.select_for_update(of=("self",)).filter(pk=pk)
              .select_related("case", "case__provider").first() if pk is not None else None)
    if sample is None:
        raise NotFoundOrForbidden("未找到该评估案件。")
    return sample


@atomic_service
def sample_assign(*, actor: User, sample_id: Any, reviewer_id: Any) -> PeerSample:
    """Assign one sampled case to a reviewer, refused when the reviewer has a conflict (with the reason)."""
    sample = _round_sample(actor, sample_id)
    if sample.scored:
        raise Conflict("该案件已经评分，不能更换评估人。")
    reviewer = _reviewer(reviewer_id)
    reason = rules.conflict(reviewer_facts(reviewer), case_parties(sample.case))
    if reason:
        raise ValidationFailed(f"不能指定该评估人：{reason}", field="reviewer")
    sample.reviewer, sample.assigned_at = reviewer, timezone.now()
    sample.save(update_fields=["reviewer", "assigned_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=sample, detail={"reviewer": reviewer.pk})
    return sample


@atomic_service
def round_assign_balanced(*, actor: User, round_id: Any, reviewer_ids: Sequence[Any]) -> tuple[int, list[int]]:
    """Assign every unassigned sample of the round among the chosen reviewers, the fewest cases first, never to a
    reviewer with a conflict. Returns how many were assigned and the samples no chosen reviewer may take."""
    _city_bureau(actor)
    pk = parse_id(str(round_id))
    round_ = InspectionRound.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if round_ is None:
        raise NotFoundOrForbidden("未找到该评查。")
    if not reviewer_ids:
        raise ValidationFailed("请至少选择一名评估人。", field="reviewers")
    reviewers = [_reviewer(r) for r in dict.fromkeys(reviewer_ids)]
    load = dict(round_.samples.filter(reviewer__isnull=False).values("reviewer_id").annotate(n=Count("pk"))
                .values_list("reviewer_id", "n"))
    todo = list(round_.samples.filter(reviewer__isnull=True).select_related("case", "case__provider")
                .order_by("center_id", "case_type", "case__number"))
    assigned, stuck = rules.balance([(s.pk, case_parties(s.case)) for s in todo],
                                    [reviewer_facts(r) for r in reviewers], load)
    by_id = {r.pk: r for r in reviewers}
    now = timezone.now()
    for sample in todo:
        if sample.pk in assigned:
            sample.reviewer, sample.assigned_at = by_id[assigned[sample.pk]], now
    PeerSample.objects.bulk_update([s for s in todo if s.pk in assigned], ["reviewer", "assigned_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=round_,
                 detail={"assigned": len(assigned), "stuck": stuck, "reviewers": sorted(by_id)})
    return len(assigned), stuck


# ---- scoring ---------------------------------------------------------------------------------------------------


@atomic_service
def sample_score(*, actor: User, sample_id: Any, scores: Mapping[Any, Any], item_comments: Mapping[Any, str],
                 comment: str, at: dt.datetime | None = None) -> PeerSample:
    """The reviewer scores the case on the round's rubric, item by item with comments; the grade comes from the
    rubric's bands. Scoring again corrects it. Only the assigned reviewer may score."""
    sample = sample_for_reviewer(actor, sample_id)
    sample = PeerSample.objects.select_for_update().select_related("round__rubric").get(pk=sample.pk)
    rubric = sample.round.rubric
    items = rubric_items(rubric)
    given = {int(k): v for k, v in scores.items() if parse_id(str(k)) is not None}
    try:
        total = quality_rules.score_rubric(items, given)
    except quality_rules.RubricError as exc:
        raise ValidationFailed(exc.message, field=f"item_{exc.item}" if exc.item else "scores") from None
    comment = (comment or "").strip()
    if not 2 <= len(comment) <= MAX_TEXT:
        raise ValidationFailed(f"请填写总体评价（2 到 {MAX_TEXT} 字）。", field="comment")
    notes = {str(k): (v or "").strip() for k, v in item_comments.items() if (v or "").strip()}
    if any(len(v) > MAX_TEXT for v in notes.values()):
        raise ValidationFailed(f"各项意见不能超过 {MAX_TEXT} 字。", field="item_comments")
    bands = quality_rules.Bands(rubric.excellent_from, rubric.good_from, rubric.pass_from)
    grade = bands.grade(total)
    ids = {i for i, _t, _m in items}
    sample.scores = {str(i): str(given[i]) for i in ids}
    sample.item_comments = {k: v for k, v in notes.items() if int(k) in ids}
    sample.comment, sample.total, sample.grade = comment, total, grade
    sample.explanation = (f"得分 {total} 分，等级“{quality_rules.GRADE_NAMES[grade]}”（{rubric}：优秀≥"
                          f"{rubric.excellent_from}，良好≥{rubric.good_from}，合格≥{rubric.pass_from}；"
                          f"{rubric.legal_basis}）")
    sample.scored_at = at or timezone.now()
    sample.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=sample, detail={"total": str(total), "grade": grade})
    return sample


# ---- improvement of an unqualified result ----------------------------------------------------------------------


def _center_sample(actor: User, sample_id: Any) -> PeerSample:
    if actor.role not in QUALITY_WRITERS or actor.center_id is None:
        raise PermissionDenied("整改记录由被评估案件所在的法律援助中心填写。")
    sample = sample_get_for_user(actor, sample_id)
    if sample.center_id != actor.center_id:
        raise NotFoundOrForbidden("未找到该评估案件，或您无权查看。")
    if not sample.unqualified:
        raise Conflict("只有评估结果为“不合格”的案件需要整改。")
    return sample


@atomic_service
def improvement_record(*, actor: User, sample_id: Any, measures: str, deadline: Any) -> ImprovementNote:
    """The center's improvement for an unqualified result: the measures and the deadline (recording again
    corrects them while not done)."""
    sample = _center_sample(actor, sample_id)
    measures = (measures or "").strip()
    if not 4 <= len(measures) <= MAX_TEXT:
        raise ValidationFailed(f"请填写整改措施（4 到 {MAX_TEXT} 字）。", field="measures")
    if not isinstance(deadline, dt.date) or deadline < timezone.localdate() or deadline.year > 2100:
        raise ValidationFailed("整改期限应为今天或以后的日期。", field="deadline")
    note = ImprovementNote.objects.select_for_update().filter(sample=sample).first()
    if note is not None and note.done_on is not None:
        raise Conflict("整改已完成，不能再修改。")
    if note is None:
        note = ImprovementNote(sample=sample)
    note.measures, note.deadline, note.recorded_by, note.recorded_at = measures, deadline, actor, timezone.now()
    note.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=note, detail={"deadline": deadline.isoformat()})
    return note


@atomic_service
def improvement_done(*, actor: User, sample_id: Any, done_on: Any, done_note: str) -> ImprovementNote:
    sample = _center_sample(actor, sample_id)
    note = ImprovementNote.objects.select_for_update().filter(sample=sample).first()
    if note is None:
        raise Conflict("请先登记整改措施和期限。")
    if note.done_on is not None:
        raise Conflict("整改已登记完成。")
    if not isinstance(done_on, dt.date) or done_on > timezone.localdate() or done_on < note.recorded_at.date():
        raise ValidationFailed("完成日期应在登记整改之后、不晚于今天。", field="done_on")
    done_note = (done_note or "").strip()
    if not 4 <= len(done_note) <= MAX_TEXT:
        raise ValidationFailed(f"请填写整改结果（4 到 {MAX_TEXT} 字）。", field="done_note")
    note.done_on, note.done_note, note.done_by = done_on, done_note, actor
    note.save(update_fields=["done_on", "done_note", "done_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=note, detail={"done_on": done_on.isoformat()})
    return note
