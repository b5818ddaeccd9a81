"""The liaison's forms. Required fields are checked by the services (their Chinese messages are shown), so the
forms let them through and only parse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from fayuan.cases.models import CriminalStage
from fayuan.core.forms import OfficeForm, set_choices
from fayuan.eligibility.models import CriminalGround

from .models import NotificationMethod, NotificationOccasion

DATETIME_WIDGET = {"format": "%Y-%m-%dT%H:%M", "attrs": {"type": "datetime-local"}}


def _blank(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class ForwardingForm(OfficeForm):
    show_required = ("name", "criminal_stage", "criminal_ground")
    name = forms.CharField(label="申请人姓名", required=False, max_length=60)
    id_number = forms.CharField(label="身份证号（如有）", required=False, max_length=30,
                                help_text="身份不明或证件不在身边的可以不填，由中心审查时核实。")
    criminal_stage = forms.ChoiceField(label="诉讼阶段", required=False,
                                       choices=_blank("请选择") + CriminalStage.choices)
    criminal_ground = forms.ChoiceField(label="申请理由", required=False)
    matter_summary = forms.CharField(label="申请事项（涉嫌罪名、请求）", required=False, max_length=200)
    organ_case_number = forms.CharField(label="办案机关案号（如有）", required=False, max_length=80)
    facts = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    received_at = forms.DateTimeField(label="收到申请时间", required=False,
                                      widget=forms.DateTimeInput(**DATETIME_WIDGET),  # type: ignore[arg-type]
                                      help_text="不填为现在。24小时转交期限自此时起算（法律援助法第三十九条）。",
                                      error_messages={"invalid": "请输入有效的日期和时间。"})
    forward_now = forms.BooleanField(label="登记后立即转交法律援助中心", required=False, initial=True)

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grounds = list(CriminalGround.objects.in_force_on(on).values_list("code", "name"))
        set_choices(self.fields["criminal_ground"], _blank("请选择") + grounds)
        self.fields["criminal_ground"].initial = "none"


class NotificationForm(OfficeForm):
    show_required = ("suspect_name", "organ_case_number", "occasion", "method")
    suspect_name = forms.CharField(label="犯罪嫌疑人姓名", required=False, max_length=60)
    id_number = forms.CharField(label="身份证号（选填）", required=False, max_length=30,
                                help_text="不要求填写；填写的只加密保存，页面只显示部分号码。")
    organ_case_number = forms.CharField(label="办案机关案号", required=False, max_length=80)
    occasion = forms.ChoiceField(label="告知时机", required=False, widget=forms.RadioSelect,
                                 choices=NotificationOccasion.choices)
    method = forms.ChoiceField(label="告知方式", required=False, widget=forms.RadioSelect,
                               choices=NotificationMethod.choices)
    notified_at = forms.DateTimeField(label="告知时间", required=False,
                                      widget=forms.DateTimeInput(**DATETIME_WIDGET),  # type: ignore[arg-type]
                                      help_text="不填为现在。", error_messages={"invalid": "请输入有效的日期和时间。"})
    applied = forms.BooleanField(label="犯罪嫌疑人当场申请法律援助", required=False)
