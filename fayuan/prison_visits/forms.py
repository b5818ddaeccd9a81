from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

from .models import AppointmentStatus

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class BookingForm(OfficeForm):
    aliases = {"room_id": "room", "provider_id": "provider", "starts_at": "start"}
    day = forms.DateField(label="会见日期", widget=DATE)
    start = forms.TimeField(label="开始时间", widget=TIME)
    end = forms.TimeField(label="结束时间", widget=TIME)
    room = forms.TypedChoiceField(label="视频会见室", coerce=int)
    provider = forms.TypedChoiceField(label="律师", coerce=int)
    inmate_name = forms.CharField(label="服刑人员姓名", max_length=40)
    inmate_number = forms.CharField(label="服刑人员编号", max_length=20,
                                    help_text="监狱编定的编号；加密保存，页面上只显示部分。",
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))
    matter = forms.CharField(label="咨询事项", max_length=200)


class RoomForm(OfficeForm):
    name = forms.CharField(label="会见室名称", max_length=60)


class CancelForm(OfficeForm):
    reason = forms.CharField(label="取消原因", max_length=200)


class OutcomeForm(OfficeForm):
    status = forms.ChoiceField(label="结果", choices=[(AppointmentStatus.HELD, "已会见"),
                                                      (AppointmentStatus.NO_SHOW, "未到场")])
    outcome = forms.CharField(label="会见情况", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class LectureForm(OfficeForm):
    held_on = forms.DateField(label="讲座日期", widget=DATE)
    topic = forms.CharField(label="主题", max_length=200)
    speaker = forms.CharField(label="主讲人", max_length=60)
    audience = forms.IntegerField(label="听众人数", min_value=1, max_value=10000)
