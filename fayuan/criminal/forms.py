from __future__ import annotations

from typing import Any

from django import forms

from fayuan.core.forms import OfficeForm, set_choices
from fayuan.org.models import Organ, OrganKind

from .grounds import BASIS, NoticeGround, NoticeKind, NoticeStage, Procedure
from .services import STAGES_BY_ORGAN


class NoticeForm(OfficeForm):
    show_required = ("kind", "name", "stage", "ground", "charge")
    kind = forms.ChoiceField(label="通知类别", choices=NoticeKind.choices)
    name = forms.CharField(label="当事人姓名", max_length=60, required=False,
                           help_text="身份尚未核实的，先填写姓名，身份证号码可暂不填写（身份待核实）。")
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    stage = forms.ChoiceField(label="诉讼阶段", choices=NoticeStage.choices)
    ground = forms.ChoiceField(label="通知理由")
    charge = forms.CharField(label="涉嫌罪名", max_length=100, required=False)
    custody_place_id = forms.ChoiceField(label="羁押场所", required=False)
    custody_place_text = forms.CharField(label="羁押场所（列表中没有的）", max_length=100, required=False)
    organ_case_number = forms.CharField(label="办案机关案号", max_length=60, required=False)
    trial_date = forms.DateField(label="开庭日期（一审、二审）", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    procedure = forms.ChoiceField(label="审理程序", choices=Procedure.choices, initial=Procedure.ORDINARY,
                                  required=False,
                                  help_text="以“刑事案件律师辩护全覆盖”为由、适用简易程序或速裁程序的，由值班律师提供法律帮助。")
    contact = forms.CharField(label="承办人及联系方式", max_length=100, required=False)
    facts = forms.CharField(label="案情摘要", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organ_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = STAGES_BY_ORGAN.get(organ_kind)
        if stages:
            # Offer only the stages this organ notifies in (the service refuses the others anyway).
            set_choices(self.fields["stage"], [(s.value, s.label) for s in NoticeStage if s in stages])
        if organ_kind and organ_kind != OrganKind.COURT:
            # The trial date and the procedure are a court's to state; the police and procuratorate never see them.
            del self.fields["trial_date"], self.fields["procedure"]
        set_choices(self.fields["ground"], [("", "请选择"), *(
            (g.value, f"{g.label}（{BASIS[g].legal_basis}）") for g in NoticeGround)])
        places = Organ.objects.filter(kind=OrganKind.DETENTION_CENTER, active=True).order_by("name")
        set_choices(self.fields["custody_place_id"], [("", "未羁押或其他场所"), *((str(o.pk), o.name) for o in places)])


class RefusalForm(OfficeForm):
    show_required = ("reason",)
    reason = forms.CharField(label="被告人拒绝的理由及人民法院的通知", max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DutyHelpForm(OfficeForm):
    show_required = ("provider_id", "helped_on")
    provider_id = forms.TypedChoiceField(label="提供法律帮助的值班律师", coerce=int, required=False, empty_value=None)
    helped_on = forms.DateField(label="提供法律帮助日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="法律帮助情况", max_length=200, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class TrialReturnForm(OfficeForm):
    show_required = ("organ_id", "month", "defendants_tried", "with_own_counsel")
    organ_id = forms.TypedChoiceField(label="人民法院", coerce=int, required=False, empty_value=None)
    month = forms.DateField(label="月份", input_formats=["%Y-%m"], required=False,
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    defendants_tried = forms.IntegerField(label="当月审理的被告人数", min_value=0, required=False)
    with_own_counsel = forms.IntegerField(label="其中自行委托辩护人的", min_value=0, required=False)
