from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

from .models import AssessmentResult, HelpKind, Stage

DATE = forms.DateInput(attrs={"type": "date"})


class AdmitForm(OfficeForm):
    provider = forms.TypedChoiceField(label="律师", coerce=int)
    admitted_on = forms.DateField(label="入库日期", widget=DATE)
    assessment_result = forms.ChoiceField(label="考核结果", choices=AssessmentResult.choices)
    has_sanction = forms.BooleanField(label="有行业处分或行政处罚记录", required=False)


class LeaveForm(OfficeForm):
    left_on = forms.DateField(label="出库日期", widget=DATE)
    reason = forms.CharField(label="出库原因", max_length=150)


class UnavailabilityForm(OfficeForm):
    provider = forms.TypedChoiceField(label="律师", coerce=int)
    start_on = forms.DateField(label="起始日期", widget=DATE)
    end_on = forms.DateField(label="截止日期（含当日）", widget=DATE)
    reason = forms.CharField(label="原因", max_length=150)


class OwnUnavailabilityForm(OfficeForm):
    start_on = forms.DateField(label="起始日期", widget=DATE, help_text="明天及以后")
    end_on = forms.DateField(label="截止日期（含当日）", widget=DATE)
    reason = forms.CharField(label="原因", max_length=150)


class SwapForm(OfficeForm):
    aliases = {"replacement_id": "replacement"}
    replacement = forms.TypedChoiceField(label="替班律师", coerce=int)
    reason = forms.CharField(label="换班理由", max_length=150)


class InspectionForm(OfficeForm):
    aliases = {"station_id": "station"}
    station = forms.TypedChoiceField(label="站点", coerce=int)
    date = forms.DateField(label="督查日期", widget=DATE)
    inspector = forms.CharField(label="督查人", max_length=100)
    findings = forms.CharField(label="督查发现", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class HelpForm(OfficeForm):
    assignment = forms.ChoiceField(label="答复的办案机关通知（选填）", required=False, choices=[],
                                   help_text="为安排给您的刑事案件律师辩护全覆盖通知提供法律帮助的，请选择该通知，"
                                             "办案机关即可看到。")
    person_name = forms.CharField(label="受帮助人姓名", max_length=60)
    id_number = forms.CharField(label="身份证号（选填）", max_length=20, required=False,
                                help_text="填写后加密保存于人员库，本记录只保存关联，屏幕上只显示部分号码。")
    stage = forms.ChoiceField(label="诉讼阶段", choices=Stage.choices)
    kind = forms.ChoiceField(label="帮助类型", choices=HelpKind.choices,
                             help_text="犯罪嫌疑人签署认罪认罚具结书时，值班律师应当在场（刑事诉讼法第一百七十四条）。")
    organ_case_number = forms.CharField(label="办案机关案号", max_length=60, required=False)
    application_forwarded = forms.BooleanField(label="已转交法律援助申请", required=False,
                                               help_text="应在二十四小时内转交法律援助机构（法律援助法第三十九条）。")
    forwarded_at = forms.DateTimeField(label="转交时间", required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    notes = forms.CharField(label="帮助内容", max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
