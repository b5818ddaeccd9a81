from __future__ import annotations

import json
from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm
from fayuan.eligibility.engine import GROUP_NAMES


class UploadForm(OfficeForm):
    source = forms.ChoiceField(label="数据来源")
    file = forms.FileField(label="数据文件（csv 或 xlsx）",
                           help_text="该部门按其列格式导出的完整名单：导入后，名单中没有的人员记录将失效。")


class QueryForm(OfficeForm):
    id_number = forms.CharField(label="身份证号码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    purpose = forms.CharField(label="查询目的", max_length=200,
                              help_text="将记入审计日志，例如：审查申请人是否属于免予核查经济困难状况的人群。")


def _json_object(value: str, label: str) -> dict[str, Any]:
    try:
        data = json.loads(value or "{}")
    except json.JSONDecodeError:
        raise forms.ValidationError(f"{label}应为 JSON 对象，例如 {{\"低保\": \"low_income_allowance\"}}。") from None
    if not isinstance(data, dict):
        raise forms.ValidationError(f"{label}应为 JSON 对象。")
    return data


class SourceForm(OfficeForm):
    column_map = forms.CharField(label="列对应关系（JSON：字段 → 表头）", widget=forms.Textarea(attrs={"rows": 8}))
    category_map = forms.CharField(label="类别对应关系（JSON：部门的类别 → 人群代码）", required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    default_category = forms.ChoiceField(label="固定类别（无类别列时）", required=False,
                                         choices=[("", "—"), *GROUP_NAMES.items()])
    date_formats = forms.CharField(label="日期格式（逗号分隔）", help_text="例如 %Y-%m-%d,%Y/%m/%d,%Y%m%d")

    def clean_column_map(self) -> dict[str, Any]:
        return _json_object(self.cleaned_data["column_map"], "列对应关系")

    def clean_category_map(self) -> dict[str, Any]:
        return _json_object(self.cleaned_data["category_map"], "类别对应关系")

    def clean_date_formats(self) -> list[str]:
        return [f.strip() for f in self.cleaned_data["date_formats"].split(",") if f.strip()]
