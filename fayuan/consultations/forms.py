from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm, set_choices
from fayuan.eligibility.models import Matter

from .models import ConsultationChannel
from .services import OTHER_MATTER


class ConsultationForm(OfficeForm):
    show_required = ("question", "advice")
    channel = forms.ChoiceField(label="咨询渠道", choices=ConsultationChannel.choices)
    person = forms.ChoiceField(label="咨询人（已登记的）", required=False,
                               help_text="不愿留名或未登记的，可只填写称呼。")
    caller_name = forms.CharField(label="称呼（匿名时）", max_length=40, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": "如：王女士"}))
    matter = forms.ChoiceField(label="咨询事项", required=False)
    question = forms.CharField(label="咨询问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    advice = forms.CharField(label="解答意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    referred_to_application = forms.BooleanField(label="符合条件，已引导申请法律援助", required=False)

    def __init__(self, *args: Any, persons: list[tuple[str, str]], on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["person"], [("", "不关联（匿名或未登记）"), *persons])
        set_choices(self.fields["matter"], [("", "请选择"), *(
            (m.code, m.name) for m in Matter.objects.in_force_on(on).order_by("sort_order", "code")
        ), (OTHER_MATTER, "其他")])
