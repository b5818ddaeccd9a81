from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

from .models import Channel, EventKind

DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(OfficeForm):
    kind = forms.ChoiceField(label="形式", choices=EventKind.choices)
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    audience = forms.IntegerField(label="受众人数", min_value=0, max_value=1_000_000)


class MediaForm(OfficeForm):
    title = forms.CharField(label="标题", max_length=200)
    published_on = forms.DateField(label="刊播日期", widget=DATE)
    channel = forms.ChoiceField(label="媒体类型", choices=Channel.choices)
    outlet = forms.CharField(label="媒体名称", max_length=100)
    reference = forms.CharField(label="链接或版面", max_length=300, required=False)
