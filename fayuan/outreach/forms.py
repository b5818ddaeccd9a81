from __future__ import annotations

from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm

from .models import CardKind, InterventionOutcome, NeedTopic
from .services import MemberInput

DATE = forms.DateInput(attrs={"type": "date"})


class HouseholdForm(OfficeForm):
    aliases = {"place_id": "place", "members": "members"}
    place = forms.TypedChoiceField(label="村（社区）", coerce=int)
    head_name = forms.CharField(label="户主姓名", max_length=60)
    address = forms.CharField(label="住址", max_length=200, required=False)
    members = forms.CharField(
        label="家庭成员", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="一行一人：姓名，与户主关系，困难类别，身份证号（后三项可空；身份证号加密保存）。不填则只登记户主。")

    def clean_members(self) -> list[MemberInput]:
        rows = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            parts = [p.strip() for p in line.replace(",", "，").split("，")]
            if not parts or not parts[0]:
                continue
            parts += [""] * (4 - len(parts))
            rows.append(MemberInput(name=parts[0], relation=parts[1], category=parts[2], id_number=parts[3]))
        return rows


class PlanForm(OfficeForm):
    aliases = {"household_ids": "households", "staff_ids": "staff"}
    title = forms.CharField(label="计划名称", max_length=100)
    period_start = forms.DateField(label="开始日期", widget=DATE)
    period_end = forms.DateField(label="结束日期", widget=DATE)
    households = forms.TypedMultipleChoiceField(label="走访家庭", coerce=int, widget=forms.SelectMultiple(
        attrs={"size": 12}))
    staff = forms.TypedMultipleChoiceField(label="走访人员", coerce=int, widget=forms.CheckboxSelectMultiple)


class VisitForm(OfficeForm):
    aliases = {"plan_id": "plan"}
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    people_met = forms.CharField(label="见到的人", max_length=200, help_text="如：户主本人及其配偶")
    plan = forms.TypedChoiceField(label="所属走访计划", coerce=int, required=False, empty_value=None)
    notes = forms.CharField(label="走访情况", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="家庭困难原因、已告知的援助事项等。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = list(NeedTopic.objects.filter(active=True))
        for t in self.topics:
            self.fields[f"need_{t.code}"] = forms.BooleanField(
                label=t.name, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"desc_{t.code}"] = forms.CharField(
                label=f"{t.name}：需求说明", max_length=300, required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def need_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"need_{t.code}"], self[f"desc_{t.code}"]) for t in self.topics]

    def main_fields(self) -> list[Any]:
        return [self[n] for n in ("visited_on", "people_met", "plan", "notes")]


class TaskOpenForm(OfficeForm):
    assignee = forms.TypedChoiceField(label="承办人", coerce=int)
    due_on = forms.DateField(label="办结期限", widget=DATE)


class TaskCloseForm(OfficeForm):
    outcome = forms.ChoiceField(label="办理结果", choices=InterventionOutcome.choices)
    note = forms.CharField(label="办理情况", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label="办结日期", widget=DATE)
    question = forms.CharField(label="咨询问题（提供法律咨询时填写）", max_length=1000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    advice = forms.CharField(label="解答意见（提供法律咨询时填写，登记为咨询记录）", max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskStartForm(OfficeForm):
    on = forms.DateField(label="开始处理日期", widget=DATE)


class CardIssueForm(OfficeForm):
    aliases = {"place_id": "place"}
    place = forms.TypedChoiceField(label="村（社区）", coerce=int)
    kind = forms.ChoiceField(label="发放方式", choices=CardKind.choices, initial=CardKind.HOUSEHOLD)
    issued_on = forms.DateField(label="发放日期", widget=DATE)


class ReportForm(forms.Form):
    since = forms.DateField(label="走访日期自", widget=DATE)
    until = forms.DateField(label="至", widget=DATE)
