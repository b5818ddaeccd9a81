from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

DATE = forms.DateInput(attrs={"type": "date"})


class PoolAdmitForm(OfficeForm):
    provider = forms.TypedChoiceField(label="律师", coerce=int)
    admitted_on = forms.DateField(label="入库日期", widget=DATE)
    training_hours = forms.IntegerField(label="近一年刑事辩护培训学时", min_value=0, max_value=2000)
    last_sanction_on = forms.DateField(label="最近一次行业处分或行政处罚日期", widget=DATE, required=False,
                                       help_text="没有处分记录的留空。")


class PoolLeaveForm(OfficeForm):
    left_on = forms.DateField(label="出库日期", widget=DATE)
    reason = forms.CharField(label="出库原因", max_length=150)
