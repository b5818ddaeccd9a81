"""The demo city's annual inspection and peer review (issue 12 item 5), through the peer-review services, after the
quality records: so also into a database seeded before it. One round for last year (or, when the replayed history
has no case closed last year, for this year) drawn at 10% with a recorded seed; the unassigned samples balanced
among every center's reviewer and the two demo lawyers (conflicts are skipped by the service); all but the last two
samples scored, the first one unqualified with its center's improvement note. Each part seeds only what is
missing, and scores come from each sample's case id, so running it again adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.quality.models import ImprovementNote, InspectionRound, PeerSample
from fayuan.quality.peer_review import selectors, services

DEMO_SEED = 20260315  # recorded on the round: redrawing with it gives the same sample
RATE = 10
LEFT_UNSCORED = 2
COMMENTS = ["案卷材料齐全，办案过程规范，法律文书论证较充分。", "能够及时会见受援人，个别文书说理不够充分。",
            "办案进展记录较完整，庭审准备充分，结案报告可更详细。"]
FAIL_COMMENT = "会见笔录缺失，代理意见未针对争议焦点，结案材料不全。"
MEASURES = "组织承办律师学习案件质量标准，补齐会见笔录和结案材料；中心对该律师此后三个月的案件逐件审查。"


@dataclass
class PeerResult:
    year: int | None = None
    drawn: int = 0
    assigned: int = 0
    scored: int = 0
    improvements: int = 0


def _roll(key: object, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % 100


def _round(bureau: User, result: PeerResult) -> InspectionRound | None:
    existing = InspectionRound.objects.order_by("-year").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    year = today.year - 1 if selectors.closed_in_year(today.year - 1).exists() else today.year
    if not selectors.closed_in_year(year).exists():
        return None
    with transaction.atomic():
        round_ = services.round_open(actor=bureau, year=year, rate=RATE, seed=DEMO_SEED)
    result.drawn = round_.samples.count()
    return round_


def _reviewers() -> list[int]:
    staff = User.objects.filter(role=Role.CENTER_REVIEWER, is_active=True, center__isnull=False,
                                username__startswith="demo_").order_by("pk")
    lawyers = User.objects.filter(username__in=["demo_provider", "demo_duty"], is_active=True).order_by("pk")
    return [u.pk for u in (*staff, *lawyers)]


def seed_peer_review() -> PeerResult:
    result = PeerResult()
    bureau = User.objects.filter(role=Role.BUREAU_SUPERVISOR, district__isnull=True, is_active=True).order_by("pk")
    if not bureau.exists():
        return result
    round_ = _round(bureau[0], result)
    if round_ is None:
        return result
    result.year = round_.year
    reviewers = _reviewers()
    if reviewers and round_.samples.filter(reviewer__isnull=True).exists():
        with transaction.atomic():
            result.assigned, _stuck = services.round_assign_balanced(actor=bureau[0], round_id=round_.pk,
                                                                     reviewer_ids=reviewers)
    samples = list(round_.samples.filter(reviewer__isnull=False).select_related("reviewer").order_by("pk"))
    to_score = samples[:-LEFT_UNSCORED] if len(samples) > LEFT_UNSCORED + 1 else samples
    items = services.rubric_items(round_.rubric)
    now = timezone.now()
    for n, sample in enumerate(to_score):
        if sample.scored or sample.reviewer is None:
            continue
        failing = n == 0  # the first sample is the demo's unqualified result
        share = 55 if failing else _roll(sample.case_id, "peer-level") % 28  # at most, % of each item lost
        scores = {}
        for item_id, _title, max_points in items:
            # The failing sample loses 55% of every item outright: with a roll from its case id (which on PostgreSQL
            # depends on what the sequences handed out before) it lost 38-55% and was sometimes merely qualified.
            spread = 100 if failing else 70 + _roll(f"{sample.case_id}:{item_id}", "peer") % 31
            lost = max_points * share * spread // 10000
            scores[item_id] = max_points - Decimal(lost)
        notes = {items[0][0]: "会见笔录缺失。"} if failing else {}
        with transaction.atomic():
            services.sample_score(actor=sample.reviewer, sample_id=sample.pk, scores=scores, item_comments=notes,
                                  comment=FAIL_COMMENT if failing else COMMENTS[sample.case_id % len(COMMENTS)],
                                  at=now)
        result.scored += 1
    _improvements(result)
    return result


def _improvements(result: PeerResult) -> None:
    noted = set(ImprovementNote.objects.values_list("sample_id", flat=True))
    for sample in PeerSample.objects.filter(scored_at__isnull=False, grade="fail").order_by("pk"):
        if sample.pk in noted:
            continue
        staff = User.objects.filter(role=Role.CENTER_DIRECTOR, center_id=sample.center_id, is_active=True).first() \
            or User.objects.filter(role=Role.CENTER_REVIEWER, center_id=sample.center_id, is_active=True).first()
        if staff is None:
            continue
        with transaction.atomic():
            services.improvement_record(actor=staff, sample_id=sample.pk, measures=MEASURES,
                                        deadline=timezone.localdate() + dt.timedelta(days=30))
        result.improvements += 1
