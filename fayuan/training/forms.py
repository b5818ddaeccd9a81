from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

DATE = forms.DateInput(attrs={"type": "date"})


class SessionForm(OfficeForm):
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DATE)
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, min_value=0.5)
    place = forms.CharField(label="地点", max_length=200)
    topic = forms.CharField(label="培训内容", max_length=300, required=False)


class AttendanceForm(OfficeForm):
    person = forms.ChoiceField(label="人员")
    attended = forms.TypedChoiceField(label="出席", choices=[("1", "出席"), ("0", "缺席")],
                                      coerce=lambda v: v == "1")
    hours = forms.DecimalField(label="认定学时", max_digits=4, decimal_places=1, min_value=0, required=False,
                               help_text="留空则按培训学时认定；缺席不计学时。")
