"""Quality management (issue 12, plan point 10; Legal Aid Law arts. 57-59): grading at acceptance with collective
discussion of major and difficult cases, one case one evaluation (stage evaluations and the closing evaluation),
hearing attendance and follow-up visits. Every record hangs off a case, so every read is scoped through the cases'
own selectors. Rules (grading criteria, rubrics, combination weights, follow-up sample rates) are dated rows."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from fayuan.core.dated import DatedRule, SourcedRule

LOCAL_PRACTICE = "本地做法"


class Grade(models.TextChoices):
    ORDINARY = "ordinary", "普通"
    MAJOR = "major", "重大"
    DIFFICULT = "difficult", "疑难"


class MatchOn(models.TextChoices):
    CRIMINAL_GROUND = "criminal_ground", "刑事援助情形"
    CRIMINAL_STAGE = "criminal_stage", "诉讼阶段"
    GROUP = "group", "申请人所属人群"
    MANUAL = "manual", "由中心工作人员认定"


class GradingCriterion(SourcedRule):
    """One criterion that makes a case major or difficult. Criteria on the case's facts (``match_on`` ground, stage
    or group, ``match_values`` their codes) are proposed by the system at acceptance; ``manual`` ones (a group
    dispute, public attention) are ticked by the staff who confirm the grade."""

    code = models.CharField("代码", max_length=40)
    name = models.CharField("标准", max_length=120)
    grade = models.CharField("等级", max_length=20, choices=[c for c in Grade.choices if c[0] != Grade.ORDINARY])
    match_on = models.CharField("判断依据", max_length=20, choices=MatchOn.choices)
    match_values = models.JSONField("匹配代码", default=list, blank=True)
    local_default = models.BooleanField("本地做法（默认值，待市局核对）", default=False)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = "重大疑难案件认定标准"
        verbose_name_plural = "重大疑难案件认定标准"
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="quality_criterion_code_from")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_grade_display()}）"

    @property
    def basis_label(self) -> str:  # type: ignore[override]
        base = super().basis_label
        return f"{LOCAL_PRACTICE}：{base}" if self.local_default else base


class CaseGrading(models.Model):
    """The grade of one case: proposed by the system at acceptance, confirmed or changed by the center's staff."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="quality_grading")
    proposed_grade = models.CharField("系统建议等级", max_length=20, choices=Grade.choices)
    # [{code, name, grade, basis}] of the criteria the case's facts met, as they stood at acceptance.
    proposed_reasons = models.JSONField("建议理由", default=list, blank=True)
    proposed_at = models.DateTimeField("建议时间")
    grade = models.CharField("确认等级", max_length=20, choices=Grade.choices, blank=True)
    criteria = models.JSONField("确认时认定的标准", default=list, blank=True)
    reason = models.TextField("确认或调整理由", blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "案件等级"
        verbose_name_plural = "案件等级"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.effective_grade}"

    @property
    def effective_grade(self) -> str:
        return self.grade or self.proposed_grade

    @property
    def effective_grade_label(self) -> str:
        return Grade(self.effective_grade).label

    @property
    def needs_discussion(self) -> bool:
        return self.effective_grade in (Grade.MAJOR, Grade.DIFFICULT)


class CollectiveDiscussion(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="quality_discussions")
    held_on = models.DateField("讨论日期")
    participants = models.TextField("参加人员")
    opinions = models.TextField("讨论意见")
    conclusion = models.TextField("结论")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "集体讨论记录"
        verbose_name_plural = "集体讨论记录"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.held_on}"


class Stage(models.TextChoices):
    # The same codes as the recipients' ratings on the public site (portal.RatingStage).
    CONSULTATION = "consultation", "咨询"
    ACCEPTANCE = "acceptance", "受理审查"
    HANDLING = "handling", "承办"
    CLOSING = "closing", "结案"


class Source(models.TextChoices):
    RECIPIENT = "recipient", "受援人评价"
    STAFF = "staff", "中心评价"


class StageEvaluation(models.Model):
    """One evaluation of one stage of a case, 1-5: the recipient's (fed by the public site's ratings through the
    ``rating.submit`` event) or the center's own."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="quality_stage_evaluations")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    score = models.PositiveSmallIntegerField("评分", validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField("意见", blank=True)
    provider = models.ForeignKey("org.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # "portal.rating:<id>" for a recipient's rating, so feeding the same rating twice records it once.
    external_ref = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = "阶段评价"
        verbose_name_plural = "阶段评价"
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                    name="quality_stage_eval_ref"),
            models.UniqueConstraint(fields=["case", "stage"], condition=Q(source="staff"),
                                    name="quality_one_staff_eval_per_stage"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="quality_stage_eval_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.stage}:{self.score}"


class RubricPurpose(models.TextChoices):
    FILE_INSPECTION = "file_inspection", "案卷检查"
    PEER_REVIEW = "peer_review", "同行评估"


class Rubric(DatedRule):
    """A 100-point scoring sheet: weighted items (their points add up to 100) and the grade bands. Dated and
    editable in the admin; ``purpose`` lets the peer review (issue 12 item 5) use the same model."""

    name = models.CharField("名称", max_length=120)
    purpose = models.CharField("用途", max_length=20, choices=RubricPurpose.choices)
    sample = models.BooleanField("示例（非正式标准）", default=False)
    excellent_from = models.PositiveSmallIntegerField("优秀（分）不低于", default=90)
    good_from = models.PositiveSmallIntegerField("良好（分）不低于", default=75)
    pass_from = models.PositiveSmallIntegerField("合格（分）不低于", default=60)

    class Meta:
        ordering = ["purpose", "-effective_from"]
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"
        constraints = [
            models.CheckConstraint(condition=Q(excellent_from__gt=models.F("good_from"))
                                   & Q(good_from__gt=models.F("pass_from")) & Q(excellent_from__lte=100),
                                   name="quality_rubric_bands_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{'（示例）' if self.sample and '示例' not in self.name else ''}"


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("评分项目", max_length=120)
    guidance = models.TextField("评分要点", blank=True)
    max_points = models.PositiveSmallIntegerField("分值", validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        ordering = ["rubric", "order", "id"]
        verbose_name = "评分项目"
        verbose_name_plural = "评分项目"

    def __str__(self) -> str:
        return f"{self.order}. {self.title}（{self.max_points} 分）"


class CombinationRule(DatedRule):
    """How the closing evaluation combines its parts (percent weights adding up to 100) and the bands of the
    quality grade. A part that is missing (no rating, no hearing attended) gives its weight to the others."""

    weight_rating = models.PositiveSmallIntegerField("受援人评价权重（%）")
    weight_inspection = models.PositiveSmallIntegerField("案卷检查权重（%）")
    weight_organ = models.PositiveSmallIntegerField("司法机关意见权重（%）")
    weight_attendance = models.PositiveSmallIntegerField("庭审旁听权重（%）")
    excellent_from = models.PositiveSmallIntegerField("优秀（分）不低于", default=90)
    good_from = models.PositiveSmallIntegerField("良好（分）不低于", default=75)
    pass_from = models.PositiveSmallIntegerField("合格（分）不低于", default=60)
    local_default = models.BooleanField("本地做法（默认值，待市局核对）", default=False)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "质量等级综合评定规则"
        verbose_name_plural = "质量等级综合评定规则"
        constraints = [
            models.UniqueConstraint(fields=["effective_from"], name="quality_combination_from"),
            models.CheckConstraint(
                condition=Q(weight_rating__lte=100) & Q(weight_inspection__gte=1) & Q(weight_organ__lte=100)
                & Q(weight_attendance__lte=100), name="quality_combination_weights"),
        ]

    def __str__(self) -> str:
        return f"综合评定规则（{self.effective_from} 起）"


class QualityGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ClosingEvaluation(models.Model):
    """The one evaluation of a closed case (一案一评): opened when the closing is accepted, completed by the center
    with the file inspection and the organ's opinion; the recipient's rating and the hearing attendance are taken
    as they stand at completion."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="quality_evaluation")
    opened_at = models.DateTimeField("开启时间")
    rubric = models.ForeignKey(Rubric, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspection_scores = models.JSONField("案卷检查各项得分", default=dict, blank=True)
    inspection_score = models.DecimalField("案卷检查得分", max_digits=5, decimal_places=1, null=True, blank=True)
    organ_opinion = models.TextField("法院/办案机关意见", blank=True)
    organ_score = models.PositiveSmallIntegerField("司法机关意见评分", null=True, blank=True,
                                                   validators=[MaxValueValidator(100)])
    rating_score = models.DecimalField("受援人评价（折合百分）", max_digits=5, decimal_places=1, null=True,
                                       blank=True)
    attendance_score = models.DecimalField("庭审旁听得分", max_digits=5, decimal_places=1, null=True, blank=True)
    rule = models.ForeignKey(CombinationRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("综合得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("质量等级", max_length=20, choices=QualityGrade.choices, blank=True)
    explanation = models.JSONField("评定说明", default=list, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "结案质量评价"
        verbose_name_plural = "结案质量评价"
        constraints = [models.CheckConstraint(condition=Q(completed_at__isnull=True) | ~Q(grade=""),
                                              name="quality_completed_has_grade")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.grade or '待评'}"

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class AttendanceStatus(models.TextChoices):
    PLANNED = "planned", "已安排"
    DONE = "done", "已旁听"
    CANCELLED = "cancelled", "已取消"


class HearingAttendance(models.Model):
    """Staff attend a hearing of a legal aid case (庭审旁听, Legal Aid Law art. 59). The hearing date comes from the
    provider's progress entry of kind 出庭 (``progress_entry``) or is entered by the staff."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="quality_attendances")
    progress_entry = models.ForeignKey("cases.ProgressEntry", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    hearing_at = models.DateTimeField("开庭时间")
    court = models.CharField("法院", max_length=120)
    attendee = models.CharField("旁听人员", max_length=120)
    status = models.CharField("状态", max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PLANNED)
    observations = models.TextField("旁听情况", blank=True)
    score = models.PositiveSmallIntegerField("评分", null=True, blank=True, validators=[MaxValueValidator(100)])
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["hearing_at", "id"]
        verbose_name = "庭审旁听"
        verbose_name_plural = "庭审旁听"
        constraints = [
            models.UniqueConstraint(fields=["progress_entry"], condition=Q(progress_entry__isnull=False),
                                    name="quality_one_attendance_per_hearing"),
            models.CheckConstraint(condition=~Q(status="done") | Q(score__isnull=False),
                                   name="quality_attendance_done_scored"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.hearing_at:%Y-%m-%d}"


class FollowUpRule(DatedRule):
    """The share of a center's closed cases that are visited (回访), in percent (100: all), and the call script.
    A row without a center is the city's default for centers without their own."""

    center = models.ForeignKey("org.Center", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="法律援助中心", help_text="留空：全市默认")
    rate = models.PositiveSmallIntegerField("回访比例（%）", validators=[MinValueValidator(0), MaxValueValidator(100)])
    script = models.TextField("回访话术")
    local_default = models.BooleanField("本地做法（默认值，待市局核对）", default=False)

    class Meta:
        ordering = ["center", "-effective_from"]
        verbose_name = "回访规则"
        verbose_name_plural = "回访规则"
        constraints = [
            models.UniqueConstraint(fields=["center", "effective_from"], name="quality_followup_center_from"),
            models.UniqueConstraint(fields=["effective_from"], condition=Q(center__isnull=True),
                                    name="quality_followup_default_from"),
            models.CheckConstraint(condition=Q(rate__lte=100), name="quality_followup_rate_100"),
        ]

    def __str__(self) -> str:
        return f"{self.center or '全市默认'} 回访 {self.rate}%（{self.effective_from} 起）"


class VisitStatus(models.TextChoices):
    DUE = "due", "待回访"
    DONE = "done", "已回访"
    UNREACHABLE = "unreachable", "无法联系"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class FollowUpVisit(models.Model):
    """A follow-up visit of a closed case drawn into the center's sample at closing."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="quality_followup")
    center = models.ForeignKey("org.Center", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("org.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(FollowUpRule, on_delete=models.PROTECT, related_name="+")
    script = models.TextField("回访话术")
    status = models.CharField("状态", max_length=20, choices=VisitStatus.choices, default=VisitStatus.DUE)
    visited_on = models.DateField("回访日期", null=True, blank=True)
    result = models.TextField("回访情况", blank=True)
    satisfaction = models.CharField("满意度", max_length=20, choices=Satisfaction.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "回访"
        verbose_name_plural = "回访"
        indexes = [models.Index(fields=["center", "status"])]
        constraints = [models.CheckConstraint(condition=~Q(status="done") | ~Q(satisfaction=""),
                                              name="quality_visit_done_has_satisfaction")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.status}"


# The peer review's models live in their own module; imported here so Django registers them with this app.
from .peer_review.models import ImprovementNote as ImprovementNote  # noqa: E402
from .peer_review.models import InspectionRound as InspectionRound  # noqa: E402
from .peer_review.models import PeerSample as PeerSample  # noqa: E402
