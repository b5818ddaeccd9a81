from __future__ import annotations

from django import forms

from fayuan.core.forms import OfficeForm

DATE = forms.DateInput(attrs={"type": "date"})


class MeetingForm(OfficeForm):
    aliases = {"organ_ids": "organs", "center_ids": "centers"}
    held_on = forms.DateField(label="召开日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    topic = forms.CharField(label="议题", max_length=200)
    organs = forms.TypedMultipleChoiceField(label="参会办案机关", coerce=int, widget=forms.CheckboxSelectMultiple)
    centers = forms.TypedMultipleChoiceField(label="参会法律援助中心", coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="召集中心自动列为参会中心。")
    attendees = forms.CharField(label="参会人员", required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                # Staff attend in office; a private person's name would need the retention job.
                                help_text="姓名与单位、职务，每行一人。只写以职务身份参会的工作人员，不写当事人等私人的姓名。")
    summary = forms.CharField(label="会议情况", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label="议定事项", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text="每行一条。")


class ActionForm(OfficeForm):
    description = forms.CharField(label="落实事项", max_length=300)
    owner = forms.ChoiceField(label="牵头单位")
    due_on = forms.DateField(label="完成期限", widget=DATE)


class DoneForm(OfficeForm):
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况", max_length=300, required=False)
