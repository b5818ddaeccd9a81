from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm

from .models import Kind


class DraftForm(OfficeForm):
    kind = forms.ChoiceField(label="通报类型", choices=Kind.choices, widget=forms.RadioSelect)
    month = forms.DateField(label="月份（月度通报）", required=False, input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    year = forms.IntegerField(label="年度（年度通报）", required=False, min_value=2018, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.MONTHLY:
            if not data.get("month"):
                self.add_error("month", "请选择月份。")
            else:
                data["period_start"] = data["month"].replace(day=1)
        elif data.get("kind") == Kind.ANNUAL:
            if not data.get("year"):
                self.add_error("year", "请填写年度。")
            else:
                data["period_start"] = dt.date(data["year"], 1, 1)
        return data


class TextForm(OfficeForm):
    problems = forms.CharField(label="发现的问题", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 8}),
                               help_text="系统已按本期数据预填建议，请核实、修改；每行一条。")
    good_practice = forms.CharField(label="好的做法", required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 6}))


class IssueForm(OfficeForm):
    pass
