from __future__ import annotations

from typing import Any

from django import forms

from fayuan.core import bounds

from .models import PersonTag


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60, error_messages={"required": "请填写姓名。"})
    id_number = forms.CharField(
        label="身份证号码", max_length=22, required=False,
        help_text="18 位居民身份证号码；修改时留空表示不变。号码加密保存，页面只显示部分。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.RegexField(
        label="联系电话", regex=bounds.PHONE_PATTERN, required=False, max_length=bounds.PHONE_MAX,
        error_messages={"invalid": "电话号码只能包含数字、空格、+ 和 -，长度 5 到 20 位。"},
    )
    address = forms.CharField(label="住址", max_length=200, required=False)
    household_registration = forms.CharField(label="户籍地", max_length=200, required=False)
    tags = forms.ModelMultipleChoiceField(
        label="人员类别", queryset=PersonTag.objects.all(), required=False, to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label="查看用途", max_length=200, min_length=2,
        error_messages={"required": "请说明查看完整号码的用途。", "min_length": "请具体说明用途。"},
    )


class FindByIdForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=22, error_messages={"required": "请输入身份证号码。"})


def person_choices(persons: Any) -> list[tuple[str, str]]:
    """Picker options: the name and the masked ID number, never the full number."""
    return [(str(p.public_id), f"{p.name}（{p.id_number_masked or '未登记证件号'}）") for p in persons]
