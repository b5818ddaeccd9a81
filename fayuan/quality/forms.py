from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm

from .models import Grade, Satisfaction, Stage

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class GradingForm(OfficeForm):
    grade = forms.ChoiceField(label="案件等级", choices=Grade.choices)
    criteria = forms.MultipleChoiceField(label="认定标准", required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text="系统已按案件情况勾选可自动判断的标准；群体性纠纷、社会关注等由您认定。")
    reason = forms.CharField(label="理由", required=False, max_length=5000, widget=TEXT,
                             help_text="等级与所选标准不一致时必填。")


class DiscussionForm(OfficeForm):
    held_on = forms.DateField(label="讨论日期", widget=DATE)
    participants = forms.CharField(label="参加人员", max_length=5000, widget=TEXT, help_text="姓名与职务，每行一人。")
    opinions = forms.CharField(label="讨论意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    conclusion = forms.CharField(label="结论", max_length=5000, widget=TEXT)


class StageForm(OfficeForm):
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices)
    score = forms.TypedChoiceField(label="评分", coerce=int, choices=[(i, f"{i} 分") for i in range(5, 0, -1)])
    comment = forms.CharField(label="意见", required=False, max_length=5000, widget=TEXT)


class EvaluationForm(OfficeForm):
    """The rubric's items are added as fields ``item_<id>`` by the view."""

    organ_opinion = forms.CharField(label="法院/办案机关意见", required=False, max_length=5000, widget=TEXT,
                                    help_text="征询司法机关意见（法律援助法第五十九条）；无办案机关的事项可留空。")
    organ_score = forms.IntegerField(label="司法机关意见评分（0-100）", required=False, min_value=0, max_value=100)

    def __init__(self, *args: Any, items: Sequence[tuple[int, str, int]] = (),
                 guidance: Mapping[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item_id, title, max_points in items:
            name = f"item_{item_id}"
            attrs = {"step": "0.5", "class": "form-control"}
            help_text = (guidance or {}).get(item_id, "")
            if help_text:
                attrs["aria-describedby"] = f"id_{name}-help"
            self.fields[name] = forms.DecimalField(
                label=f"{title}（满分 {max_points}）", min_value=0, max_value=max_points, decimal_places=1,
                help_text=help_text, widget=forms.NumberInput(attrs=attrs))
        self.items = list(items)


class AttendancePlanForm(OfficeForm):
    progress_entry = forms.ChoiceField(label="承办人员登记的开庭", required=False)
    hearing_at = forms.DateTimeField(label="开庭时间（未登记时填写）", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    court = forms.CharField(label="法院（未登记时填写）", required=False, max_length=120)
    attendee = forms.CharField(label="旁听人员", max_length=120)


class AttendanceRecordForm(OfficeForm):
    attended = forms.TypedChoiceField(label="是否旁听", coerce=lambda v: v == "yes",
                                      choices=[("yes", "已旁听"), ("no", "未旁听（取消）")])
    observations = forms.CharField(label="旁听情况或取消原因", max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    score = forms.IntegerField(label="庭审表现评分（0-100）", required=False, min_value=0, max_value=100)


class FollowUpForm(OfficeForm):
    visited_on = forms.DateField(label="回访日期", widget=DATE)
    reached = forms.TypedChoiceField(label="是否联系上受援人", coerce=lambda v: v == "yes",
                                     choices=[("yes", "已联系"), ("no", "无法联系")])
    satisfaction = forms.ChoiceField(label="满意度", required=False,
                                     choices=[("", "请选择"), *Satisfaction.choices])
    result = forms.CharField(label="回访情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
