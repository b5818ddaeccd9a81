"""The peer-review records. Imported by ``quality.models`` so Django sees them as the quality app's models."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class InspectionRound(models.Model):
    """One annual inspection (年度案件质量评查): the closed cases of ``year``, sampled at ``rate`` percent per center
    and case type with the recorded ``seed``; ``strata`` keeps what the draw saw (population and drawn count)."""

    year = models.PositiveSmallIntegerField("评查年度", unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    rate = models.PositiveSmallIntegerField("抽查比例（%）", validators=[MinValueValidator(1), MaxValueValidator(100)])
    seed = models.BigIntegerField("随机种子")
    rubric = models.ForeignKey("quality.Rubric", on_delete=models.PROTECT, related_name="+",
                               verbose_name="评分标准")
    # [{center_id, center, case_type, case_type_label, population, drawn}] in the draw's order.
    strata = models.JSONField("分层情况", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]
        verbose_name = "案件质量评查（同行评估）"
        verbose_name_plural = "案件质量评查（同行评估）"
        constraints = [models.CheckConstraint(condition=Q(rate__gte=1) & Q(rate__lte=100),
                                              name="quality_round_rate_1_100")]

    def __str__(self) -> str:
        return f"{self.year} 年度同行评估"


class PeerSample(models.Model):
    """One drawn case, its reviewer and the score. Center, case type and provider are kept as at the draw."""

    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="samples")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="peer_samples")
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField("案件类型", max_length=30)
    provider = models.ForeignKey("org.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="peer_reviews", verbose_name="评估人")
    assigned_at = models.DateTimeField(null=True, blank=True)
    scores = models.JSONField("各项得分", default=dict, blank=True)  # {item id: "points"}
    item_comments = models.JSONField("各项意见", default=dict, blank=True)  # {item id: "text"}
    comment = models.TextField("总体评价", blank=True)
    total = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("评估等级", max_length=20, blank=True)  # quality.QualityGrade codes
    explanation = models.TextField("评定说明", blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "center", "case_type", "pk"]
        verbose_name = "评估案件"
        verbose_name_plural = "评估案件"
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="quality_peer_sample_once"),
            models.CheckConstraint(condition=Q(scored_at__isnull=True) | ~Q(grade=""),
                                   name="quality_peer_scored_has_grade"),
        ]
        indexes = [models.Index(fields=["reviewer", "scored_at"])]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.case_id}"

    @property
    def scored(self) -> bool:
        return self.scored_at is not None

    @property
    def grade_label(self) -> str:
        return {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}.get(self.grade, "")

    @property
    def unqualified(self) -> bool:
        return self.scored and self.grade == "fail"


class ImprovementNote(models.Model):
    """The center's improvement (整改) for an unqualified result: what it will do, by when, and when it was done."""

    sample = models.OneToOneField(PeerSample, on_delete=models.PROTECT, related_name="improvement")
    measures = models.TextField("整改措施")
    deadline = models.DateField("整改期限")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("整改结果", blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"

    def __str__(self) -> str:
        return f"{self.sample_id}:{'已完成' if self.done_on else '整改中'}"
