from __future__ import annotations

from django import forms

from fayuan.core import bounds
from fayuan.core.forms import OfficeForm

from .models import Category, Channel, ComplainantKind, Measure, Outcome
from .services import FACTS_MAX, MANUAL_INFORM

DATE = forms.DateInput(attrs={"type": "date"})


class CaseLookupForm(OfficeForm):
    case = forms.CharField(label="案件受理编号", max_length=40, help_text="投诉所涉法律援助案件的受理编号。")


class ComplaintForm(OfficeForm):
    aliases = {"provider_id": "provider", "received_on": "received_on"}
    provider = forms.TypedChoiceField(label="被投诉的承办人员", coerce=int)
    channel = forms.ChoiceField(label="投诉方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    complainant_kind = forms.ChoiceField(label="投诉人", choices=ComplainantKind.choices)
    complainant_name = forms.CharField(label="投诉人姓名", max_length=40)
    phone = forms.RegexField(label="联系电话（用于告知处理结果）", regex=bounds.PHONE_PATTERN, required=False,
                             max_length=bounds.PHONE_MAX)
    category = forms.ChoiceField(label="投诉事项类别", choices=Category.choices)
    facts = forms.CharField(label="投诉事实与请求", max_length=FACTS_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="仅处理投诉的工作人员可见，不向被投诉人员展示。")
    received_on = forms.DateField(label="收到投诉日期", widget=DATE)


class PointsForm(OfficeForm):
    points = forms.CharField(label="告知承办人员的投诉要点", max_length=bounds.FACTS_MAX,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="承办人员将看到这些要点并提交说明；请勿写入投诉人的姓名、关系和联系方式。")


class ResponseForm(OfficeForm):
    response = forms.CharField(label="我的说明", max_length=bounds.FACTS_MAX, widget=forms.Textarea(attrs={"rows": 5}))


class DecideForm(OfficeForm):
    outcome = forms.ChoiceField(label="处理结果", choices=Outcome.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label="调查情况与处理意见", max_length=bounds.FACTS_MAX,
                               widget=forms.Textarea(attrs={"rows": 5}), help_text="将告知投诉人。")
    measures = forms.MultipleChoiceField(label="采取的措施", choices=Measure.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="更换承办人员在案件页面办理（受援人申请更换的，一并处理）。")


class InformForm(OfficeForm):
    method = forms.ChoiceField(label="告知方式", choices=[(m.value, m.label) for m in MANUAL_INFORM])
    on = forms.DateField(label="告知日期", widget=DATE)
