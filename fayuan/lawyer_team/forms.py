from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

from .services import MAX_LAWYERS, PROFILE_MAX

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class AdmitForm(OfficeForm):
    aliases = {"provider_id": "provider"}
    provider = forms.TypedChoiceField(label="律师", coerce=int)
    admitted_on = forms.DateField(label="入团日期", widget=DATE)
    profile = forms.CharField(label="个人简介（对外公开）", max_length=PROFILE_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="执业经历、擅长领域、代表性工作，将在门户网站公开；不得写入受援人信息。")
    note = forms.CharField(label="备注", max_length=200, required=False)


class ProfileForm(OfficeForm):
    profile = forms.CharField(label="个人简介（对外公开）", max_length=PROFILE_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}))


class LeaveForm(OfficeForm):
    left_on = forms.DateField(label="退出日期", widget=DATE)
    reason = forms.CharField(label="退出原因", max_length=200)


class SessionForm(OfficeForm):
    aliases = {"member_ids": "members", "station_id": "station"}
    held_on = forms.DateField(label="日期", widget=DATE)
    starts_at = forms.TimeField(label="开始时间", widget=TIME)
    ends_at = forms.TimeField(label="结束时间", widget=TIME)
    station = forms.TypedChoiceField(label="地点", coerce=int, required=False, empty_value=None)
    members = forms.TypedMultipleChoiceField(label=f"坐堂律师（1 到 {MAX_LAWYERS} 人）", coerce=int,
                                             widget=forms.CheckboxSelectMultiple)
    topic = forms.CharField(label="主题", max_length=100, required=False)


class RecordForm(OfficeForm):
    aliases = {"attended_member_ids": "attended", "consultation_ids": "consultations"}
    attended = forms.TypedMultipleChoiceField(label="到场律师", coerce=int, widget=forms.CheckboxSelectMultiple)
    consultations_given = forms.IntegerField(label="解答咨询人次", min_value=0, max_value=500)
    consultations = forms.TypedMultipleChoiceField(label="关联本中心当天的咨询记录", coerce=int, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label="情况记录", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(OfficeForm):
    reason = forms.CharField(label="取消原因", max_length=200)
