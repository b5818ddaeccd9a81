"""Receiving an organ's notice (Legal Aid Law art. 36): the liaison of a police bureau, procuratorate or court
tells its legal aid center; the case opens as granted (a notice needs no application, no means test and no
decision) with the clock ``notice_received`` that the shipped rule ``assign-on-notice`` (3 days) runs on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Channel, Status
from fayuan.cases.services.creation import case_create
from fayuan.cases.services.intake import ApplicationInput
from fayuan.cases.services.organ import MAX_ORGAN_CASE_NUMBER, normalize_organ_case_number
from fayuan.cases.services.transitions import record_event
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.transactions import atomic_service, before_commit
from fayuan.deadlines import events as deadline_events
from fayuan.eligibility.models import CaseType
from fayuan.notifications.services import notification_send
from fayuan.org.models import Organ, OrganKind, Provider
from fayuan.people import idnumber
from fayuan.people.services import person_match_or_register, person_register_unidentified

from . import coverage, dutylink
from .grounds import (
    CASE_STAGE,
    COURT_STAGES,
    DUTY_PROCEDURES,
    HEARING_STAGES,
    NoticeGround,
    NoticeKind,
    NoticeRoute,
    NoticeStage,
    Procedure,
    basis_for,
    is_late,
)
from .models import CourtTrialReturn, CoverageSwitch, DutyStatus, Notice
from .selectors import notice_get_for_user

MAX_NAME, MAX_CHARGE, MAX_PLACE, MAX_CONTACT, MAX_FACTS = 60, 100, 100, 100, 2000
# Which stages each kind of organ notifies in (a detention center forwards applications, it does not notify).
STAGES_BY_ORGAN: dict[str, frozenset[str]] = {
    OrganKind.POLICE: frozenset({NoticeStage.INVESTIGATION}),
    OrganKind.PROCURATORATE: frozenset({NoticeStage.PROSECUTION_REVIEW}),
    OrganKind.COURT: COURT_STAGES,
}


@dataclass
class NoticeInput:
    kind: str
    name: str
    stage: str
    ground: str
    charge: str
    id_number: str = ""
    custody_place_id: int | None = None
    custody_place_text: str = ""
    organ_case_number: str = ""
    trial_date: dt.date | None = None
    # ``procedure`` (ordinary / simplified / fast_track); older callers send only the flag "simplified or
    # fast-track", read as simplified.
    procedure: str = ""
    simplified_procedure: bool = False
    contact: str = ""
    facts: str = ""

    @property
    def procedure_code(self) -> str:
        if self.procedure:
            return self.procedure
        return Procedure.SIMPLIFIED if self.simplified_procedure else Procedure.ORDINARY


def _liaison_organ(actor: User) -> Organ:
    organ = actor.organ if actor.role == Role.ORGAN_LIAISON else None
    if organ is None:
        raise PermissionDenied("只有办案机关联络人可以发送法律援助通知。")
    if not organ.active:
        raise PermissionDenied("本机关已停用，不能发送通知。")
    return organ


def _validate(organ: Organ, data: NoticeInput, on: dt.date) -> dict[str, Any]:
    """Every problem at once, in Chinese; nothing is written until all pass."""
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in NoticeKind.values:
        bad("kind", "请选择通知类别（通知辩护或通知代理）。")
    if data.stage not in NoticeStage.values:
        bad("stage", "请选择诉讼阶段。")
    elif data.stage not in STAGES_BY_ORGAN.get(organ.kind, frozenset()):
        bad("stage", f"{organ.get_kind_display()}不能就“{NoticeStage(data.stage).label}”发出通知。")
    if data.ground not in NoticeGround.values:
        bad("ground", "请选择通知理由。")
    else:
        basis = basis_for(data.ground)
        label = NoticeGround(data.ground).label
        if data.kind in NoticeKind.values and data.kind not in basis.kinds:
            bad("ground", f"“{label}”不适用于{NoticeKind(data.kind).label}。")
        if basis.court_only and organ.kind != OrganKind.COURT:
            bad("ground", f"“{label}”仅由人民法院通知（{basis.legal_basis}）。")
        if basis.stages is not None and data.stage in NoticeStage.values and data.stage not in basis.stages:
            where = "、".join(NoticeStage(s).label for s in sorted(basis.stages))
            bad("ground", f"“{label}”仅适用于{where}。")
    switch: CoverageSwitch | None = None
    if data.procedure and data.procedure not in Procedure.values:
        bad("procedure", "请选择审理程序（普通程序、简易程序或速裁程序）。")
    elif (data.ground == NoticeGround.FULL_COVERAGE and "ground" not in errors and "stage" not in errors
          and data.stage in NoticeStage.values):
        # Full defense coverage is a district's dated switch: off, the ground is refused, naming the switch.
        switch = coverage.switch_in_force(organ.district_id, data.stage, on)
        if switch is None:
            bad("ground", coverage.refusal_message(organ, data.stage, on))
    name = (data.name or "").strip()
    if not name:
        bad("name", "请填写当事人姓名（身份未核实的，先填写姓名）。")
    elif len(name) > MAX_NAME:
        bad("name", f"姓名不能超过 {MAX_NAME} 个字。")
    if (data.id_number or "").strip():
        try:
            idnumber.parse(data.id_number, today=on)
        except idnumber.InvalidIdNumber as exc:
            bad("id_number", exc.message)
    charge = (data.charge or "").strip()
    if not charge:
        bad("charge", "请填写涉嫌罪名（或案由）。")
    elif len(charge) > MAX_CHARGE:
        bad("charge", f"罪名不能超过 {MAX_CHARGE} 个字。")
    place = None
    if data.custody_place_id:
        place = Organ.objects.filter(pk=data.custody_place_id, kind=OrganKind.DETENTION_CENTER, active=True).first()
        if place is None:
            bad("custody_place_id", "所选羁押场所不是在用的看守所。")
    if len((data.custody_place_text or "").strip()) > MAX_PLACE:
        bad("custody_place_text", f"羁押场所不能超过 {MAX_PLACE} 个字。")
    number = normalize_organ_case_number(data.organ_case_number)
    if len(number) > MAX_ORGAN_CASE_NUMBER:
        bad("organ_case_number", f"办案机关案号不能超过 {MAX_ORGAN_CASE_NUMBER} 个字。")
    if data.trial_date is not None:
        if data.stage not in HEARING_STAGES:
            bad("trial_date", "只有一审、二审阶段的通知填写开庭日期。")
        elif data.trial_date < on:
            bad("trial_date", "开庭日期不能早于今天。")
    if len((data.contact or "").strip()) > MAX_CONTACT:
        bad("contact", f"承办人及联系方式不能超过 {MAX_CONTACT} 个字。")
    if len((data.facts or "").strip()) > MAX_FACTS:
        bad("facts", f"案情摘要不能超过 {MAX_FACTS} 个字。")
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    return {"name": name, "charge": charge, "place": place, "number": number, "switch": switch}


@atomic_service
def notice_receive(*, actor: User, data: NoticeInput, received_at: dt.datetime | None = None) -> Notice:
    """The liaison's organ tells its center. ``received_at`` is for replaying history; otherwise now."""
    organ = _liaison_organ(actor)
    received_at = received_at or timezone.now()
    on = timezone.localdate(received_at)
    clean = _validate(organ, data, on)
    center = organ.center
    if data.id_number.strip():
        person, _matched = person_match_or_register(actor=actor, name=clean["name"], id_number=data.id_number,
                                                    center=center, source="organ_notice", today=on)
    else:
        person = person_register_unidentified(actor=actor, name=clean["name"], center=center, source="organ_notice")
    custody_text = "" if clean["place"] else data.custody_place_text.strip()
    in_custody = clean["place"] is not None or bool(custody_text)
    procedure = data.procedure_code
    late = is_late(stage=data.stage, received_on=on, trial_date=data.trial_date,
                   simplified=procedure in DUTY_PROCEDURES)
    route = coverage.route_for(data.ground, procedure)
    case = None
    if route == NoticeRoute.LAWYER:
        case = _open_case(actor, organ, data, clean, person=person, in_custody=in_custody, late=late,
                          received_at=received_at)
    station = organ.station if route == NoticeRoute.DUTY else None
    notice = Notice.objects.create(
        organ=organ, liaison=actor, kind=data.kind, person=person, stage=data.stage, ground=data.ground,
        charge=clean["charge"], custody_place=clean["place"], custody_place_text=custody_text,
        organ_case_number=clean["number"], trial_date=data.trial_date, procedure=procedure,
        contact=data.contact.strip(), received_at=received_at, center=center, case=case, route=route,
        coverage_switch=clean["switch"],
        duty_station=station if station is not None and station.has_duty_lawyer and station.active else None,
        late=late, duty_status=DutyStatus.PENDING if route == NoticeRoute.DUTY else "",
    )
    if route == NoticeRoute.DUTY:
        # The duty app finds the station and the lawyer on the rota and answers in this transaction (dutylink).
        dutylink.publish_routed(notice, actor=actor)
        notice.refresh_from_db()
    # After the numbering hook case_create registered (hooks run in order): the message carries the number.
    before_commit(lambda: _tell_center(notice))
    return notice


def _open_case(actor: User, organ: Organ, data: NoticeInput, clean: dict[str, Any], *, person: Any,
               in_custody: bool, late: bool, received_at: dt.datetime) -> Any:
    application = ApplicationInput(
        applicant_id=person.pk, case_type=CaseType.CRIMINAL, matter_summary=clean["charge"],
        channel=Channel.ORGAN_NOTICE, criminal_ground=data.ground, criminal_stage=CASE_STAGE[NoticeStage(data.stage)],
        in_custody=in_custody, handling_organ=organ.name, facts=data.facts.strip(),
    )
    cleaned = {"household_size": 1, "household_monthly_income": Decimal("0.00"), "opposing_party_id_hash": "",
               "organ_case_number": clean["number"]}
    # Granted from the start: a notice is not an application (no means test, no decision, art. 25/28/36); the
    # workflow lets the center assign from "granted".
    return case_create(
        actor=actor, center=organ.center, channel=Channel.ORGAN_NOTICE, applicant=person, data=application,
        cleaned=cleaned, received_at=received_at, status=Status.GRANTED,
        clocks=(deadline_events.NOTICE_RECEIVED,), documents=(),
        event_payload={"organ": organ.pk, "notice_kind": data.kind, "notice_stage": data.stage,
                       "ground": data.ground, "late": late},
    )


def _duty_line(notice: Notice) -> str:
    if notice.duty_status == DutyStatus.STAFFED and notice.duty_assigned_lawyer is not None:
        return f"已由{notice.duty_assigned_for:%m月%d日}的值班律师{notice.duty_assigned_lawyer.name}提供法律帮助"
    return "值班表上当日无值班律师，请安排值班律师提供法律帮助并登记"


def _tell_center(notice: Notice) -> None:
    case = notice.case
    if case is None:  # routed to the duty station: the center names the duty lawyer who helps
        for user in User.objects.filter(role__in=CENTER_ROLES, is_active=True, center_id=notice.center_id):
            notification_send(
                user=user, title="待值班律师提供法律帮助",
                body=f"{notice.organ}通知（刑事案件律师辩护全覆盖，{notice.get_procedure_display()}），"
                     f"{_duty_line(notice)}（法律援助法第三十条）。",
                link=f"/office/notices/{notice.public_id}/")
        return
    late = "（开庭前不足十五日送达）" if notice.late else ""
    for user in User.objects.filter(role__in=CENTER_ROLES, is_active=True, center_id=case.center_id):
        notification_send(
            user=user, title=f"新的{notice.get_kind_display()}",
            body=f"{notice.organ}{notice.get_kind_display()}，案件 {case.number}{late}，请在三日内指派律师"
                 "（法律援助法第三十六条）。",
            link=f"/office/cases/{case.public_id}/")


REFUSAL_EVENT = "defendant_refused_lawyer"


@atomic_service
def notice_record_refusal(*, actor: User, public_id: Any, reason: str) -> Notice:
    """SPC interpretation art. 50 para. 2: the defendant refused the assigned lawyer for a justified reason and the
    court asks for another: the 3-day assignment clock runs again from now (``notice_received`` restarts the
    ``assign-on-notice`` rule; the change of provider stops it)."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("只有法律援助中心可以登记被告人拒绝指派律师。")
    reason = (reason or "").strip()
    if not 4 <= len(reason) <= 200:
        raise ValidationFailed("请写明被告人拒绝的理由及人民法院的通知（4 到 200 字）。", field="reason")
    notice = notice_get_for_user(actor, public_id, audit=False)
    case = notice.case
    if case is None:
        raise Conflict("本通知由值班律师提供法律帮助，没有指派律师。")
    if case.provider_id is None:
        raise Conflict("本案尚未指派律师，无须另行指派。")
    record_event(actor=actor, case=case, kind=REFUSAL_EVENT, note=f"被告人拒绝指派的律师：{reason}",
                 payload={"notice": str(notice.public_id)}, emits=(deadline_events.NOTICE_RECEIVED,))
    return notice


MAX_DUTY_NOTE = 200


@atomic_service
def notice_record_duty_help(*, actor: User, public_id: Any, provider_id: int | None, helped_on: dt.date | None,
                            note: str = "") -> Notice:
    """The center records which duty lawyer helped on a notice routed to the duty station. The lawyer is one of the
    center's own active providers; whether they were on the rota that day is for the duty app to tell (not read
    here: the two apps are siblings)."""
    if actor.role not in CENTER_ROLES:
        raise PermissionDenied("只有法律援助中心可以登记值班律师提供的法律帮助。")
    notice = notice_get_for_user(actor, public_id, audit=False)
    if not notice.to_duty_station:
        raise Conflict("本通知已指派法律援助律师，不由值班律师提供法律帮助。")
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    provider = Provider.objects.filter(pk=provider_id or 0, home_center_id=notice.center_id, active=True).first()
    if provider is None:
        errors["provider_id"] = ["请选择本中心在册的值班律师。"]
    if helped_on is None:
        errors["helped_on"] = ["请填写提供法律帮助的日期。"]
    elif helped_on > today or helped_on < timezone.localdate(notice.received_at):
        errors["helped_on"] = ["提供法律帮助的日期应在收到通知之后、今天之前。"]
    note = (note or "").strip()
    if len(note) > MAX_DUTY_NOTE:
        errors["note"] = [f"法律帮助情况不能超过 {MAX_DUTY_NOTE} 个字。"]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    notice.duty_lawyer, notice.duty_helped_on, notice.duty_note, notice.duty_recorded_by = (
        provider, helped_on, note, actor)
    notice.duty_status = DutyStatus.HELPED  # the organ reads it; the duty app's rota slot record is unchanged
    notice.save(update_fields=["duty_lawyer", "duty_helped_on", "duty_note", "duty_recorded_by", "duty_status"])
    return notice


MAX_TRIED = 100_000


@atomic_service
def trial_return_save(*, actor: User, organ_id: int, month: dt.date, defendants_tried: int,
                      with_own_counsel: int) -> CourtTrialReturn:
    """A court's month (defendants tried, of them with their own counsel), entered by the court's liaison or its
    center; entering the month again corrects it."""
    if actor.role == Role.ORGAN_LIAISON:
        courts = Organ.objects.filter(pk=actor.organ_id or 0)
    elif actor.role in CENTER_ROLES:
        courts = Organ.objects.filter(center_id=actor.center_id or 0)
    else:
        raise PermissionDenied("只有法院联络人或法律援助中心可以填报。")
    court = courts.filter(pk=organ_id, kind=OrganKind.COURT).first()
    if court is None:
        raise ValidationFailed("请选择本机关（或本中心对口）的人民法院。", field="organ_id")
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise ValidationFailed("不能填报将来的月份。", field="month")
    if not 0 <= defendants_tried <= MAX_TRIED:
        raise ValidationFailed("被告人数不正确。", field="defendants_tried")
    if not 0 <= with_own_counsel <= defendants_tried:
        raise ValidationFailed("自行委托辩护人的人数不能超过被告人数。", field="with_own_counsel")
    row, _created = CourtTrialReturn.objects.update_or_create(organ=court, month=first, defaults={
        "defendants_tried": defendants_tried, "with_own_counsel": with_own_counsel, "entered_by": actor})
    return row
