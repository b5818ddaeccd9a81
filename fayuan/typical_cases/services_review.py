"""Writes of the annual excellent-case review (plan point 20: 继续开展年度法律援助优秀案件评审): the city bureau opens
the year's review, names the panel, nominates accepted typical cases, and records each member's scores on the
rubric in force (entered from the signed score sheets)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service

from .models import ExcellenceReview, Nomination, PanelMember, Score, Status, TypicalCase
from .selectors import criteria_on, is_city_bureau, parse_uuid, review_get_for_user

MIN_PANEL, MAX_PANEL = 3, 15


def _require_bureau(actor: User) -> None:
    if not is_city_bureau(actor):
        raise PermissionDenied("年度优秀案件评审由市司法局组织。")


def rubric_day(review: ExcellenceReview) -> dt.date:
    """The rubric of the review's year: the one in force on the year's last day."""
    return dt.date(review.year, 12, 31)


@atomic_service
def excellence_review_open(*, actor: User, year: int) -> ExcellenceReview:
    _require_bureau(actor)
    if not 2018 <= year <= 2100:
        raise ValidationFailed("请填写评审年度。", field="year")
    if ExcellenceReview.objects.filter(year=year).exists():
        raise Conflict(f"{year}年度的评审已经开始。")
    if not criteria_on(dt.date(year, 12, 31)):
        raise Conflict(f"{year}年度没有适用的评分项目，请先在管理后台录入。")
    review = ExcellenceReview.objects.create(year=year, created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=review, detail={"fields": ["year"]})
    return review


def _open_review(actor: User, review_id: Any) -> ExcellenceReview:
    _require_bureau(actor)
    review = review_get_for_user(actor, review_id)
    review = ExcellenceReview.objects.select_for_update().get(pk=review.pk)
    if review.closed:
        raise Conflict("该评审已结束，不能再修改。")
    return review


@atomic_service
def panel_member_add(*, actor: User, review_id: Any, name: str, affiliation: str) -> PanelMember:
    review = _open_review(actor, review_id)
    name, affiliation = name.strip(), affiliation.strip()
    if not 2 <= len(name) <= 40:
        raise ValidationFailed("请填写评审人姓名。", field="name")
    if not 2 <= len(affiliation) <= 100:
        raise ValidationFailed("请填写评审人的单位与职务。", field="affiliation")
    if review.panel.count() >= MAX_PANEL:
        raise Conflict(f"评审组最多 {MAX_PANEL} 人。")
    if review.panel.filter(name=name).exists():
        raise Conflict(f"{name}已在评审组中。")
    member = PanelMember.objects.create(review=review, name=name, affiliation=affiliation)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=member, detail={"fields": ["name", "affiliation"]})
    return member


@atomic_service
def nomination_add(*, actor: User, review_id: Any, typical_case_id: Any) -> Nomination:
    """An accepted typical case of the review's year is nominated (once)."""
    review = _open_review(actor, review_id)
    key = parse_uuid(typical_case_id)
    typical = TypicalCase.objects.filter(public_id=key).first() if key is not None else None
    if typical is None:
        raise NotFoundOrForbidden("未找到该典型案例。")
    if typical.status != Status.ACCEPTED or typical.period.year != review.year:
        raise Conflict(f"只能推荐{review.year}年度已采用的典型案例。")
    if review.nominations.filter(typical_case=typical).exists():
        raise Conflict("该案例已被推荐。")
    nomination = Nomination.objects.create(review=review, typical_case=typical, nominated_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=nomination, detail={"fields": ["typical_case"]})
    return nomination


@atomic_service
def scores_record(*, actor: User, review_id: Any, nomination_id: int, member_id: int,
                  points: dict[str, int]) -> list[Score]:
    """One member's points for one nominee, every rubric item at once (a sheet is recorded whole); recording it
    again replaces the earlier entry."""
    review = _open_review(actor, review_id)
    if review.panel.count() < MIN_PANEL:
        raise Conflict(f"评审组至少 {MIN_PANEL} 人，请先确定评审组成员。")
    nomination = review.nominations.filter(pk=nomination_id).first()
    member = review.panel.filter(pk=member_id).first()
    if nomination is None or member is None:
        raise NotFoundOrForbidden("未找到该被推荐案例或评审人。")
    criteria = criteria_on(rubric_day(review))
    errors: dict[str, list[str]] = {}
    for c in criteria:
        value = points.get(c.code)
        if value is None or not 0 <= value <= c.max_points:
            errors[c.code] = [f"“{c.name}”应为 0 到 {c.max_points} 分。"]
    if errors:
        raise ValidationFailed("评分未保存：" + "；".join(m[0] for m in errors.values()), errors=errors)
    Score.objects.filter(nomination=nomination, member=member).delete()
    scores = Score.objects.bulk_create([Score(nomination=nomination, member=member, criterion=c,
                                              points=points[c.code], recorded_by=actor) for c in criteria])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=nomination,
                 detail={"fields": ["scores"], "member": member.pk})
    return scores


@atomic_service
def excellence_review_close(*, actor: User, review_id: Any) -> ExcellenceReview:
    review = _open_review(actor, review_id)
    expected = review.panel.count() * review.nominations.count()
    sheets = Score.objects.filter(nomination__review=review).values("nomination", "member").distinct().count()
    if expected == 0 or sheets < expected:
        raise Conflict(f"还有评分未录入（已录入 {sheets} 份，应录入 {expected} 份），不能结束评审。")
    review.closed = True
    review.save(update_fields=["closed"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=review, detail={"fields": ["closed"]})
    return review
