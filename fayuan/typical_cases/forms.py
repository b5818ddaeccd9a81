from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class DraftForm(OfficeForm):
    case = forms.ChoiceField(label="来源案件（本中心已结案案件）")
    period = forms.DateField(label="报送月份", input_formats=["%Y-%m", "%Y-%m-%d"], widget=MONTH,
                             help_text="该案例计入哪个月的报送（结案当月或以后）。")


class WriteUpForm(OfficeForm):
    title = forms.CharField(label="标题", max_length=120)
    facts = forms.CharField(label="基本案情", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    handling = forms.CharField(label="办理过程", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    result = forms.CharField(label="办理结果", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    significance = forms.CharField(label="典型意义", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="本案对同类案件办理的指导作用、社会效果。")


class ReviewForm(OfficeForm):
    decision = forms.ChoiceField(label="审核结果", choices=[("accept", "采用"), ("return", "退回修改")],
                                 widget=forms.RadioSelect)
    comments = forms.CharField(label="审核意见", required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class OpenReviewForm(OfficeForm):
    year = forms.IntegerField(label="评审年度", min_value=2018, max_value=2100)


class PanelForm(OfficeForm):
    name = forms.CharField(label="评审人姓名", max_length=40)
    affiliation = forms.CharField(label="单位与职务", max_length=100)


class NominateForm(OfficeForm):
    typical_case = forms.ChoiceField(label="已采用的典型案例")
