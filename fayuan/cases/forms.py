"""Forms of the case screens. They only parse input: the services own every rule and its Chinese message, so most
fields are optional here and the service says what is missing (one message per problem, next to its field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from fayuan.core import bounds
from fayuan.core.forms import OfficeForm, set_choices
from fayuan.eligibility import engine
from fayuan.eligibility.models import CaseType, CriminalGround, Matter

from .models import (
    AgentRelationship,
    Channel,
    CriminalStage,
    DecisionKind,
    FileKind,
    IncomeSource,
    Outcome,
    ProgressKind,
    TerminationReason,
)

# engine.FACTS in plain Chinese (the fact rules in force carry the legal wording; these are for the checkboxes).
FACT_LABELS = {
    "domestic_violence": "遭受虐待、遗弃或者家庭暴力",
    "brave_act": "因见义勇为行为主张权益",
    "martyr_honour": "英雄烈士近亲属维护烈士人格权益",
    "retrial_acquittal_compensation": "再审改判无罪后请求国家赔偿",
    "serious_family_rights_violation": "婚姻家庭中人身权利受到严重侵害",
    "limitation_within_7_days": "距诉讼时效或期限届满不足七日",
    "urgent_preservation": "需要立即申请财产保全、证据保全或先予执行",
}
MATERIAL_SLOTS = 3  # file pickers of the application form; each takes several files of one kind
MATERIAL_KINDS = [FileKind.ID_DOCUMENT, FileKind.MEANS_PROOF, FileKind.GROUP_PROOF, FileKind.CASE_EVIDENCE,
                  FileKind.AGENCY_PROOF, FileKind.APPLICATION_FORM, FileKind.OTHER]
ACCEPTED_FILES = "application/pdf,image/jpeg,image/png"


def date_widget() -> forms.DateInput:
    """A native date picker: it needs ISO values, whatever the locale's display format."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _blank(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class ApplicationForm(OfficeForm):
    show_required = ("case_type", "criminal_stage", "criminal_ground", "matter", "matter_summary", "household_size")
    applicant = forms.ChoiceField(label="申请人", error_messages={"required": "请选择申请人。",
                                                               "invalid_choice": "请从列表中选择申请人。"})
    agent = forms.ChoiceField(label="代理申请人", required=False,
                              help_text="由法定代理人或近亲属代为申请时选择；须先在“人员”中登记。")
    agent_relationship = forms.ChoiceField(label="代理关系", required=False,
                                           choices=_blank("—") + AgentRelationship.choices)
    channel = forms.ChoiceField(label="申请渠道", required=False,
                                choices=[c for c in Channel.choices if c[0] != Channel.ORGAN_NOTICE])
    case_type = forms.ChoiceField(label="案件类型", required=False, choices=_blank("请选择") + CaseType.choices,
                                  help_text="刑事案件填写“刑事案件”一栏，其他案件填写“援助事项”一栏。")
    criminal_stage = forms.ChoiceField(label="诉讼阶段", required=False,
                                       choices=_blank("请选择") + CriminalStage.choices)
    criminal_ground = forms.ChoiceField(label="刑事援助情形", required=False)
    in_custody = forms.BooleanField(label="申请人在押", required=False)
    matter = forms.ChoiceField(label="援助事项", required=False)
    matter_summary = forms.CharField(label="案由", max_length=bounds.MATTER_SUMMARY_MAX, required=False,
                                     widget=forms.TextInput(attrs={"placeholder": "如：追索劳动报酬"}))
    opposing_party = forms.CharField(label="对方当事人", max_length=bounds.OPPOSING_PARTY_MAX,
                                     required=False)
    opposing_party_id_number = forms.CharField(
        label="对方身份证号码或统一社会信用代码（选填）", max_length=22, required=False,
        help_text="用于利益冲突审查，只保存不可逆的校验值。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    handling_organ = forms.CharField(label="办案机关/争议处理机关", max_length=bounds.HANDLING_ORGAN_MAX,
                                     required=False)
    facts = forms.CharField(label="案情摘要", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    household_size = forms.CharField(label="家庭人口（人）", required=False, initial="1",
                                     widget=forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"}))
    household_monthly_income = forms.CharField(
        label="家庭月收入（元）", required=False, initial="0",
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
        help_text="家庭成员每月收入合计；系统按人均与当地最低工资标准比较。",
    )
    income_source = forms.ChoiceField(label="收入核查方式", required=False, choices=IncomeSource.choices)
    groups = forms.MultipleChoiceField(
        label="所属人群", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(g, engine.GROUP_NAMES[g]) for g in engine.GROUPS],
        help_text="年龄按出生日期自动判断；其他人群须提交证明材料。",
    )
    special_facts = forms.MultipleChoiceField(
        label="特殊情形", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(f, FACT_LABELS[f]) for f in engine.FACTS],
    )

    def __init__(self, *args: Any, persons: list[tuple[str, str]], on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["applicant"], _blank("请选择申请人") + persons)
        set_choices(self.fields["agent"], _blank("无（本人申请）") + persons)
        set_choices(self.fields["criminal_ground"], _blank("请选择") + [
            (g.code, g.name) for g in CriminalGround.objects.in_force_on(on).order_by("mandatory", "code")])
        set_choices(self.fields["matter"], _blank("请选择") + [
            (m.code, m.name) for m in Matter.objects.in_force_on(on).order_by("sort_order", "code")
        ] + [("other", "其他（不在目录中，由中心审查决定）")])


class MaterialKindField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(k.value, k.label) for k in MATERIAL_KINDS], **kwargs)


# --- Action forms: one per panel on the case page ------------------------------------------------------------


class ActionForm(OfficeForm):
    """The form of one action panel; ``case`` and ``user`` let a panel offer only what applies to this case."""

    def __init__(self, *args: Any, case: Any, user: Any, **kwargs: Any) -> None:
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


class EmptyForm(ActionForm):
    """A confirmation: the action needs no input."""


class NoteForm(ActionForm):
    note = forms.CharField(label="说明（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    show_required = ("reason",)
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SupplementForm(ActionForm):
    show_required = ("items",)
    items = forms.CharField(
        label="需补充的全部材料（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="补充材料只能一次性告知：请把需要的材料全部列出。",
    )
    due_on = forms.DateField(label="补充期限", required=False, widget=date_widget(),
                             error_messages={"invalid": "请输入有效日期。"})
    note = forms.CharField(label="说明（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services.intake import supplement_default_due

        self.fields["due_on"].initial = supplement_default_due(on=timezone.localdate())

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class DecideForm(ActionForm):
    kind = forms.ChoiceField(label="决定", widget=forms.RadioSelect, error_messages={"required": "请选择决定类型。"})
    reasons = forms.CharField(
        label="理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予援助时留空则按审查结果写明理由；与审查结果不一致的决定须写明理由。",
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in DecisionKind.choices if kinds is None or c[0] in kinds]
        set_choices(self.fields["kind"], choices)
        if len(choices) == 1:
            self.fields["kind"].initial = choices[0][0]


class AssignForm(ActionForm):
    provider = forms.TypedChoiceField(label="承办人员", required=False, coerce=int, empty_value=None,
                                      error_messages={"invalid_choice": "所选人员不能承办本案，请从列表中选择。"})
    reason = forms.CharField(label="指定理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="未按轮派顺序指派时必填，记入案卷。")

    def __init__(self, *args: Any, eligible: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["provider"], _blank("请选择") + [(str(pk), name) for pk, name in eligible or []])


class ChangeProviderForm(AssignForm):
    show_required = ("reason",)
    reason = forms.CharField(label="受援人申请更换的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].label = "新的承办人员（留空则按轮派顺序）"


class AgreementForm(ActionForm):
    signed_on = forms.DateField(label="委托协议签订日期", widget=date_widget(),
                                error_messages={"required": "请填写签订日期。", "invalid": "请输入有效日期。"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


class UploadField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(required=False, **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one picker (Django's documented pattern); cleans to a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES, "multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class MaterialsForm(ActionForm):
    aliases = {"file": "uploads"}
    kind = MaterialKindField(label="材料类型")
    uploads = MultipleFileField(label="文件（可多选；PDF、JPEG、PNG，单个不超过 10 MB）",
                              error_messages={"required": "请选择要上传的文件。"})


class ProgressForm(ActionForm):
    show_required = ("kind", "summary")
    kind = forms.ChoiceField(label="进展类型", required=False, choices=_blank("请选择") + ProgressKind.choices)
    occurred_on = forms.DateField(label="日期", widget=date_widget(),
                                  error_messages={"required": "请填写日期。", "invalid": "请输入有效日期。"})
    summary = forms.CharField(label="办理情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    court = forms.CharField(label="法院/机关（出庭时必填）", required=False, max_length=120)
    hearing_at = forms.DateTimeField(label="开庭时间（选填）", required=False,
                                     widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M",
                                                                attrs={"type": "datetime-local"}),
                                     error_messages={"invalid": "请输入有效的日期和时间。"})
    upload = UploadField(label="相关文书（PDF、JPEG、PNG，选填）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()


class ClosingForm(ActionForm):
    show_required = ("outcome", "report")
    outcome = forms.ChoiceField(label="办理结果", required=False, choices=_blank("请选择") + Outcome.choices)
    report = forms.CharField(label="承办情况报告", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    money_recovered = forms.CharField(label="挽回经济损失（元）", required=False, initial="0",
                                      widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}))
    money_saved = forms.CharField(label="为受援人节省费用（元）", required=False, initial="0",
                                  widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}))
    upload = UploadField(label="判决书/调解书/裁定书（选填）")


class ClosingReviewForm(ActionForm):
    verdict = forms.ChoiceField(label="审查结论", widget=forms.RadioSelect,
                                choices=[("accept", "审查通过，结案"), ("return", "退回补正")],
                                error_messages={"required": "请选择审查结论。"})
    notes = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="退回补正时必填。")


class TerminateForm(ActionForm):
    show_required = ("reason", "explanation")
    reason = forms.ChoiceField(label="终止理由", required=False,
                               choices=_blank("请选择") + TerminationReason.choices)
    explanation = forms.CharField(label="终止的事实和理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provider_report = forms.CharField(label="承办人员报告（选填）", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(ActionForm):
    show_required = ("grounds",)
    grounds = forms.CharField(label="异议理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="申请人对决定有异议的，由中心代为登记，报司法行政部门审查。")


class ObjectionDecisionForm(ActionForm):
    verdict = forms.ChoiceField(label="审查结论", widget=forms.RadioSelect,
                                choices=[("uphold", "异议不成立，维持原决定"), ("overturn", "异议成立，责令改正")],
                                error_messages={"required": "请选择审查结论。"})
    reasons = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    show_required = ("reasons",)
