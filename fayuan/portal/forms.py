"""Forms of the public site. The step forms are also the one validation of a draft at submission
(``validate_draft``), so what the applicant was told on each step is exactly what submission checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from fayuan.cases.models import AgentRelationship, CriminalStage, IncomeSource
from fayuan.cases.services.intake import ApplicationInput
from fayuan.core import bounds
from fayuan.core.errors import ValidationFailed
from fayuan.core.params import parse_id
from fayuan.eligibility import engine
from fayuan.eligibility.models import CaseType, CriminalGround, FactRule, Matter
from fayuan.org.models import District, Station
from fayuan.people import idnumber

from . import routing
from .models import DraftStep
from .services.application import UPLOAD_KINDS, CleanApplication, Identity, organ_name, resolve_route

MAX_INCOME = bounds.MONTHLY_INCOME_MAX
# Groups a person declares; "minor" and "elderly" follow from the birth date (ID number or age).
DECLARED_GROUPS = tuple(g for g in engine.GROUPS if g not in ("minor", "elderly"))
FACT_FALLBACK_NAMES = {"serious_family_rights_violation": "婚姻家庭中人身权利受到严重侵害"}
CASE_TYPE_HELP = {
    "civil": "如讨薪、工伤、交通事故、赡养费、离婚等",
    "administrative": "与政府部门的争议，如社会保险、低保、抚恤金",
    "state_compensation": "请求国家赔偿",
    "criminal": "本人或家人是犯罪嫌疑人、被告人，需要辩护律师",
    "non_litigation": "还没有打官司，如劳动仲裁、调解、协商",
}


class PortalForm(forms.Form):
    """Bootstrap classes on every widget, large controls (phone first, 44-48px targets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-lg"
            else:
                css = "form-control form-control-lg"
            widget.attrs["class"] = css


def _today() -> dt.date:
    return timezone.localdate()


def matter_choices(on: dt.date) -> list[tuple[str, str]]:
    rows = Matter.objects.in_force_on(on).order_by("sort_order", "code")
    return [("", "请选择"), *((m.code, m.name) for m in rows), ("other", "其他事项（由中心审查决定）")]


def ground_choices(on: dt.date) -> list[tuple[str, str]]:
    rows = CriminalGround.objects.in_force_on(on).order_by("-mandatory", "code")
    return [("", "请选择"), *((g.code, g.name) for g in rows)]


def fact_choices(on: dt.date) -> list[tuple[str, str]]:
    names = dict(FactRule.objects.in_force_on(on).values_list("code", "name"))
    return [(f, names.get(f) or FACT_FALLBACK_NAMES.get(f, f)) for f in engine.FACTS]


def group_choices() -> list[tuple[str, str]]:
    return [(g, engine.GROUP_NAMES[g]) for g in DECLARED_GROUPS]


def district_choices() -> list[tuple[str, str]]:
    return [("", "请选择区（市）"), *District.objects.order_by("sort_order", "code").values_list("code", "name")]


def organ_choices(case_type: str = "") -> list[tuple[str, Any]]:
    types = routing.ORGAN_TYPES_FOR.get(case_type, routing.ORGAN_STATION_TYPES)
    stations = (Station.objects.filter(active=True, type__in=types)
                .select_related("district").order_by("district__sort_order", "type", "name"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for s in stations:
        groups.setdefault(s.district.name, []).append((str(s.pk), organ_name(s)))
    return [("", "不在列表中 / 暂不确定"), *groups.items()]


def _id_number(raw: str) -> str:
    try:
        return idnumber.parse(raw, today=_today()).value
    except idnumber.InvalidIdNumber as exc:
        raise forms.ValidationError(exc.message) from None


class ConsentForm(PortalForm):
    agree = forms.BooleanField(
        label="我已阅读以上说明，同意法律援助机构处理我的敏感个人信息", required=True,
        error_messages={"required": "不同意处理敏感个人信息的，无法在网上申请；您可以拨打 12348 或到窗口申请。"},
    )


class WhoForm(PortalForm):
    on_behalf = forms.ChoiceField(label="为谁申请", widget=forms.RadioSelect, initial="self", choices=[
        ("self", "为我本人申请"), ("relative", "替亲属申请（我是其法定代理人或近亲属）")])
    self_name = forms.CharField(label="您的姓名", max_length=60)
    self_id_number = forms.CharField(label="您的身份证号码", max_length=22,
                                     widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    self_address = forms.CharField(label="您的住址（选填）", max_length=200, required=False)
    relationship = forms.ChoiceField(label="您与申请人的关系", required=False,
                                     choices=[("", "请选择"), *AgentRelationship.choices])
    relative_name = forms.CharField(label="亲属（申请人）姓名", max_length=60, required=False)
    relative_id_number = forms.CharField(label="亲属（申请人）身份证号码", max_length=22, required=False,
                                         widget=forms.TextInput(attrs={"autocomplete": "off"}))
    relative_phone = forms.CharField(label="亲属联系电话（选填）", max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    relative_address = forms.CharField(label="亲属住址（选填）", max_length=200, required=False)
    relative_consent = forms.BooleanField(label="我确认：我是其法定代理人，或已取得其本人同意代为申请", required=False)

    def clean_self_id_number(self) -> str:
        return _id_number(self.cleaned_data["self_id_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on_behalf") != "relative":
            return data
        if not data.get("relationship"):
            self.add_error("relationship", "请选择您与申请人的关系（法律援助法第四十条）。")
        if not (data.get("relative_name") or "").strip():
            self.add_error("relative_name", "请填写申请人（您的亲属）的姓名。")
        raw = (data.get("relative_id_number") or "").strip()
        if not raw:
            self.add_error("relative_id_number", "请填写申请人（您的亲属）的身份证号码。")
        else:
            try:
                data["relative_id_number"] = _id_number(raw)
            except forms.ValidationError as exc:
                self.add_error("relative_id_number", exc)
            else:
                if data["relative_id_number"] == data.get("self_id_number"):
                    self.add_error("relative_id_number", "申请人的身份证号码不能与您本人的相同。")
        if not data.get("relative_consent"):
            self.add_error("relative_consent", "请确认您是其法定代理人，或已取得其本人同意。")
        return data


class MatterForm(PortalForm):
    case_type = forms.ChoiceField(label="案件类型", widget=forms.RadioSelect, choices=CaseType.choices)
    matter = forms.ChoiceField(label="申请事项", required=False)
    criminal_ground = forms.ChoiceField(label="刑事案件情形", required=False)
    criminal_stage = forms.ChoiceField(label="案件进行到哪一步", required=False,
                                       choices=[("", "请选择"), *CriminalStage.choices])
    in_custody = forms.BooleanField(label="申请人目前被羁押（看守所、监狱等）", required=False)
    matter_summary = forms.CharField(label="一句话说明您的事情（案由）", max_length=bounds.MATTER_SUMMARY_MAX,
                                     widget=forms.TextInput(attrs={"placeholder": "如：工地老板拖欠工资三个月"}))
    opposing_party = forms.CharField(label="对方是谁（单位或个人名称，选填）", max_length=bounds.OPPOSING_PARTY_MAX,
                                     required=False)
    facts = forms.CharField(label="事情经过（选填）", max_length=bounds.FACTS_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on = _today()
        self.fields["matter"].choices = matter_choices(on)  # type: ignore[attr-defined]
        self.fields["criminal_ground"].choices = ground_choices(on)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("case_type") == CaseType.CRIMINAL:
            if not data.get("criminal_ground"):
                self.add_error("criminal_ground",
                               "请选择刑事案件情形（因经济困难申请请选“因经济困难没有委托辩护人”）。")
            if not data.get("criminal_stage"):
                self.add_error("criminal_stage", "请选择案件进行到哪一步。")
        elif data.get("case_type") and not data.get("matter"):
            self.add_error("matter", "请选择申请事项；不在列表中的请选“其他事项”。")
        return data


class WhereForm(PortalForm):
    organ_station = forms.ChoiceField(label="办案机关（法院、检察院、公安机关）", required=False)
    district = forms.ChoiceField(label="所在区（市）", required=False)
    area_reason = forms.ChoiceField(label="这个地方是", required=False, widget=forms.RadioSelect,
                                    choices=list(routing.AREA_REASONS.items()))
    handling_organ = forms.CharField(label="机关名称（不在列表中时填写，选填）", max_length=bounds.HANDLING_ORGAN_MAX,
                                     required=False)

    def __init__(self, *args: Any, case_type: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case_type = case_type
        self.route: routing.Route | None = None
        self.fields["organ_station"].choices = organ_choices(case_type)  # type: ignore[attr-defined]
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.route = resolve_route(case_type=self.case_type, organ_station=data.get("organ_station") or "",
                                       district=data.get("district") or "", area_reason=data.get("area_reason") or "")
        except routing.RoutingError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class MeansForm(PortalForm):
    household_size = forms.IntegerField(label="家里共有几口人（含本人）", min_value=1, max_value=bounds.HOUSEHOLD_MAX,
                                        initial=1)
    household_monthly_income = forms.DecimalField(label="全家每月总收入（元）", min_value=Decimal("0"),
                                                  max_value=MAX_INCOME, decimal_places=2, max_digits=12)
    groups = forms.MultipleChoiceField(label="申请人属于以下人群（可多选，没有可不选）", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    special_facts = forms.MultipleChoiceField(label="有以下情况（可多选，没有可不选）", required=False,
                                              widget=forms.CheckboxSelectMultiple)
    income_pledge = forms.BooleanField(
        label="我承诺以上经济状况真实（法律援助法第四十一条：个人诚信承诺）", required=True,
        error_messages={"required": "请确认经济状况真实。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = group_choices()  # type: ignore[attr-defined]
        self.fields["special_facts"].choices = fact_choices(_today())  # type: ignore[attr-defined]


class UploadForm(PortalForm):
    kind = forms.ChoiceField(label="这是什么材料", choices=[(k.value, k.label) for k in UPLOAD_KINDS])


STEP_FORMS: dict[str, type[forms.Form]] = {
    DraftStep.CONSENT: ConsentForm, DraftStep.WHO: WhoForm, DraftStep.MATTER: MatterForm,
    DraftStep.WHERE: WhereForm, DraftStep.MEANS: MeansForm,
}


def step_form(step: str, data: dict[str, Any] | None, draft: dict[str, Any]) -> forms.Form:
    """The form of a step, bound to ``data`` (a POST) or unbound with the draft's values as initial values."""
    form_class = STEP_FORMS[step]
    kwargs: dict[str, Any] = {} if data is not None else {"initial": draft}
    if form_class is WhereForm:
        kwargs["case_type"] = str(draft.get("case_type") or "")
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


def validate_draft(draft: dict[str, Any]) -> CleanApplication:
    """Validate every step of a saved draft; raise ValidationFailed naming the first step with a problem."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    route: routing.Route | None = None
    for step in (DraftStep.WHO, DraftStep.MATTER, DraftStep.WHERE, DraftStep.MEANS):
        form = step_form(step, draft, draft)
        if not form.is_valid():
            messages = [str(m) for field_errors in form.errors.values() for m in field_errors]
            errors[step] = messages
            continue
        cleaned[step] = form.cleaned_data
        if isinstance(form, WhereForm):
            route = form.route
    if errors or route is None:
        bad = next(iter(errors), str(DraftStep.WHERE))
        first = errors.get(bad, ["请选择向哪里申请。"])[0]
        raise ValidationFailed(f"“{DraftStep(bad).label}”一步还需要修改：{first}", field=bad,
                               errors=errors or {DraftStep.WHERE: [first]})
    who, matter, where, means = (cleaned[s] for s in (DraftStep.WHO, DraftStep.MATTER, DraftStep.WHERE,
                                                      DraftStep.MEANS))
    me = Identity(who["self_name"].strip(), who["self_id_number"], "", who.get("self_address", "").strip())
    if who["on_behalf"] == "relative":
        applicant = Identity(who["relative_name"].strip(), who["relative_id_number"],
                             (who.get("relative_phone") or "").strip(), (who.get("relative_address") or "").strip())
        agent: Identity | None = me
        relationship = who["relationship"]
    else:
        applicant, agent, relationship = me, None, ""
    organ_id = parse_id(where.get("organ_station"))
    handling_organ = (where.get("handling_organ") or "").strip()
    if not handling_organ and organ_id is not None:
        station = Station.objects.filter(pk=organ_id).first()
        handling_organ = organ_name(station) if station else ""
    criminal = matter["case_type"] == CaseType.CRIMINAL
    data = ApplicationInput(
        applicant_id=None, case_type=matter["case_type"], matter_summary=matter["matter_summary"],
        matter="" if criminal else matter.get("matter", ""),
        criminal_ground=matter.get("criminal_ground", "") if criminal else "",
        criminal_stage=matter.get("criminal_stage", "") if criminal else "", in_custody=bool(matter.get("in_custody")),
        agent_id="relative" if agent else None, agent_relationship=relationship,
        opposing_party=matter.get("opposing_party", ""), handling_organ=handling_organ, facts=matter.get("facts", ""),
        household_size=means["household_size"], household_monthly_income=means["household_monthly_income"],
        income_source=IncomeSource.SELF_DECLARED, groups=list(means.get("groups") or []),
        special_facts=list(means.get("special_facts") or []),
    )
    return CleanApplication(applicant, agent, relationship, data, route, organ_id)


class SelfCheckForm(PortalForm):
    """The public self-check: the same engine and rules as the staff side, nothing stored."""

    district = forms.ChoiceField(label="在哪个区（市）申请")
    case_type = forms.ChoiceField(label="案件类型", widget=forms.RadioSelect, choices=CaseType.choices)
    matter = forms.ChoiceField(label="申请事项（非刑事案件）", required=False)
    criminal_ground = forms.ChoiceField(label="刑事案件情形", required=False)
    age = forms.IntegerField(label="申请人年龄（周岁，选填）", min_value=0, max_value=bounds.AGE_MAX, required=False)
    household_size = forms.IntegerField(label="家里共有几口人（含本人）", min_value=1, max_value=bounds.HOUSEHOLD_MAX,
                                        initial=1)
    household_monthly_income = forms.DecimalField(label="全家每月总收入（元）", min_value=Decimal("0"),
                                                  max_value=MAX_INCOME, decimal_places=2, max_digits=12)
    groups = forms.MultipleChoiceField(label="申请人属于以下人群（可多选）", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    facts = forms.MultipleChoiceField(label="有以下情况（可多选）", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on = _today()
        self.fields["district"].choices = district_choices()  # type: ignore[attr-defined]
        self.fields["matter"].choices = matter_choices(on)[:-1]  # type: ignore[attr-defined]
        self.fields["criminal_ground"].choices = ground_choices(on)  # type: ignore[attr-defined]
        self.fields["groups"].choices = group_choices()  # type: ignore[attr-defined]
        self.fields["facts"].choices = fact_choices(on)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("case_type") and data["case_type"] != CaseType.CRIMINAL and not data.get("matter"):
            self.add_error("matter", "请选择申请事项。")
        return data

    def birth_date(self, on: dt.date) -> dt.date | None:
        """An age stands for a birth date on which the person turned that age today."""
        age = self.cleaned_data.get("age")
        if age is None:
            return None
        try:
            return on.replace(year=on.year - age)
        except ValueError:  # 29 February
            return on.replace(year=on.year - age, day=28)
