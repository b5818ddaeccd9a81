"""The online application: a draft saved step by step, its consents and photos, and the submission that turns it
into a case at the center chosen by art. 38, exactly as staff intake would (numbering, clocks, audit)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass, replace
from typing import Any, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import Case, Channel, FileKind
from fayuan.cases.services.creation import case_create
from fayuan.cases.services.files import case_file_add, inspect_upload
from fayuan.cases.services.intake import ApplicationInput, validate_application
from fayuan.core.audit import audit_record
from fayuan.core.crypto import decrypt_text, encrypt_text
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.core.transactions import atomic_service, before_commit
from fayuan.core.uploads import delete_on_rollback
from fayuan.notifications.models import ContactPreference
from fayuan.notifications.selectors import sms_phone_for
from fayuan.notifications.services import notification_send
from fayuan.notifications.sms import send_sms
from fayuan.org.models import Center, District, Station
from fayuan.people.models import Person
from fayuan.people.services import person_match_or_register

from .. import consent as texts
from .. import routing
from ..models import (
    STEP_ORDER,
    ApplicationDraft,
    Consent,
    ConsentSubject,
    DraftFile,
    DraftStep,
    PortalSubmission,
)

log = logging.getLogger(__name__)

# Kinds of material an applicant can attach online (the rest are staff and provider documents).
UPLOAD_KINDS = (FileKind.ID_DOCUMENT, FileKind.MEANS_PROOF, FileKind.GROUP_PROOF, FileKind.CASE_EVIDENCE,
                FileKind.AGENCY_PROOF, FileKind.OTHER)
MAX_FILES_PER_DRAFT = 20


def _require_applicant(account: User) -> None:
    if not account.is_authenticated or account.role != Role.APPLICANT:
        raise PermissionDenied("请使用手机号码登录后在网上申请。")


# --- Drafts ---------------------------------------------------------------------------------------------------


def draft_data(draft: ApplicationDraft) -> dict[str, Any]:
    """The decrypted payload: raw form values per field, as the applicant typed them."""
    return cast(dict[str, Any], json.loads(decrypt_text(draft.payload))) if draft.payload else {}


def draft_open_for(account: User) -> ApplicationDraft | None:
    return ApplicationDraft.objects.filter(account=account, submitted_at__isnull=True).first()


def _locked_draft(account: User, draft_id: Any) -> ApplicationDraft:
    draft = ApplicationDraft.objects.select_for_update().filter(public_id=draft_id, account=account).first()
    if draft is None:
        raise NotFoundOrForbidden()
    if draft.submitted_at is not None:
        raise Conflict("该申请已经提交，不能再修改。如需补充材料，请联系受理的法律援助中心。")
    return draft


@transaction.atomic
def draft_start(*, account: User) -> ApplicationDraft:
    """The account's open draft, or a new one (one open draft at a time)."""
    _require_applicant(account)
    existing = draft_open_for(account)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            draft = ApplicationDraft.objects.create(account=account, payload=encrypt_text("{}"))
    except IntegrityError:  # a second tab created it a moment ago
        found = draft_open_for(account)
        if found is None:
            raise
        return found
    audit_record(actor=account, action=AuditAction.CREATE, obj=draft)
    return draft


def _clean_value(value: Any) -> str | list[str]:
    if isinstance(value, list | tuple):
        return [str(v)[:200] for v in value][:30]
    return str(value if value is not None else "")[:4000]


@transaction.atomic
def draft_save(*, account: User, draft_id: Any, step: str, data: dict[str, Any],
               advance_to: str | None = None) -> ApplicationDraft:
    """Merge one step's values into the draft (validated or not: saving never loses what was typed)."""
    _require_applicant(account)
    if step not in STEP_ORDER:
        raise ValidationFailed("未知的步骤。", field="step")
    draft = _locked_draft(account, draft_id)
    payload = draft_data(draft)
    payload.update({str(k): _clean_value(v) for k, v in data.items()})
    draft.payload = encrypt_text(json.dumps(payload, ensure_ascii=False))
    if advance_to is not None:
        if advance_to not in STEP_ORDER:
            raise ValidationFailed("未知的步骤。", field="step")
        draft.step = advance_to
    draft.save(update_fields=["payload", "step", "updated_at"])
    # Field names only: the values are personal data.
    audit_record(actor=account, action=AuditAction.UPDATE, obj=draft, detail={"step": step, "fields": sorted(data)})
    return draft


@transaction.atomic
def consent_record(*, account: User, draft_id: Any, subject: str, ip: str | None) -> Consent:
    """Record a separate consent with the exact text shown and the time (PIPL art. 29)."""
    _require_applicant(account)
    draft = _locked_draft(account, draft_id)
    text = texts.SENSITIVE_SELF if subject == ConsentSubject.SELF else texts.SENSITIVE_RELATIVE
    current = draft.consents.filter(subject=subject, purpose=text.purpose, text_version=text.version).first()
    if current is not None:
        return current
    consent = Consent.objects.create(account=account, draft=draft, subject=subject, purpose=text.purpose,
                                     text_version=text.version, text=text.text, agreed_at=timezone.now(),
                                     ip=ip or None)
    audit_record(actor=account, action=AuditAction.CREATE, obj=consent,
                 detail={"purpose": text.purpose, "version": text.version})
    return consent


def has_consent(draft: ApplicationDraft, subject: str) -> bool:
    text = texts.SENSITIVE_SELF if subject == ConsentSubject.SELF else texts.SENSITIVE_RELATIVE
    return draft.consents.filter(subject=subject, purpose=text.purpose, text_version=text.version).exists()


@transaction.atomic
def draft_file_add(*, account: User, draft_id: Any, kind: str, upload: UploadedFile) -> DraftFile:
    """Attach a photo or scan. Type (by content), size and count are checked like the case files are."""
    _require_applicant(account)
    draft = _locked_draft(account, draft_id)
    if not has_consent(draft, ConsentSubject.SELF):
        raise Conflict("请先阅读并同意个人信息处理说明，再上传材料。")
    if kind not in UPLOAD_KINDS:
        raise ValidationFailed("请选择材料类型。", field="kind")
    if draft.files.count() >= MAX_FILES_PER_DRAFT:
        raise ValidationFailed(f"每份申请最多上传 {MAX_FILES_PER_DRAFT} 个文件。", field="file")
    checked = inspect_upload(upload)
    record = DraftFile(draft=draft, kind=kind, original_name=checked.original_name,
                       content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                       uploaded_at=timezone.now())
    # Stored under a random name outside the web root; the original name may carry personal data.
    record.file.save(f"{record.public_id}{checked.extension}", upload, save=False)
    delete_on_rollback(record.file.storage, record.file.name)  # no orphan file when the row does not commit
    record.save()
    audit_record(actor=account, action=AuditAction.CREATE, obj=record, detail={"draft": draft.pk, "kind": kind})
    return record


@transaction.atomic
def draft_file_remove(*, account: User, draft_id: Any, file_id: Any) -> None:
    _require_applicant(account)
    draft = _locked_draft(account, draft_id)
    record = draft.files.filter(public_id=file_id).first()
    if record is None:
        raise NotFoundOrForbidden()
    name = record.file.name
    storage = record.file.storage
    record.delete()
    audit_record(actor=account, action=AuditAction.DELETE, object_type="portal.draftfile", object_id=str(record.pk),
                 detail={"draft": draft.pk})
    transaction.on_commit(lambda: storage.delete(name))


# --- Routing (art. 38) ------------------------------------------------------------------------------------------


def organ_name(station: Station) -> str:
    """"镇江市京口区人民法院法律援助工作站" → "镇江市京口区人民法院"."""
    name = station.name
    for suffix in ("法律援助工作站", "值班律师工作站", "工作站"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def city_center() -> Center | None:
    return Center.objects.filter(level="city").order_by("pk").first()


def area_for(district: District) -> routing.Area:
    center = Center.objects.filter(district=district).first() or city_center()
    if center is None:
        raise ValidationFailed("系统尚未设置法律援助中心，请拨打 12348 咨询。")
    return routing.Area(district.code, district.name, center.pk, center.name)


def resolve_route(*, case_type: str, organ_station: str = "", district: str = "",
                  area_reason: str = "") -> routing.Route:
    """Turn the applicant's picks (a station id, a district code) into rows and apply art. 38."""
    organ = None
    if organ_station and case_type in routing.LITIGATION:
        station = (Station.objects.select_related("center")
                   .filter(pk=parse_id(organ_station) or 0, active=True,
                           type__in=routing.ORGAN_TYPES_FOR[case_type]).first())
        if station is None:
            raise routing.RoutingError("请从列表中选择办案机关。", field="organ_station")
        organ = routing.Organ(station.pk, organ_name(station), station.center_id, station.center.name)
    area = None
    if district:
        row = District.objects.filter(code=district).first()
        if row is None:
            raise routing.RoutingError("请从列表中选择区（市）。", field="district")
        area = area_for(row)
    return routing.route(case_type=case_type, organ=organ, area=area, area_reason=area_reason)


# --- Submission ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    name: str
    id_number: str
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class CleanApplication:
    """Everything the submission needs, validated (by the step forms: see ``forms.validate_draft``)."""

    applicant: Identity
    agent: Identity | None
    relationship: str
    data: ApplicationInput
    route: routing.Route
    organ_station_id: int | None


def _person_for(identity: Identity, *, center: Center, actor: User, today: dt.date) -> tuple[Person, bool]:
    """The registered person with this ID number, or a new one; the applicant gets the same answer either way."""
    return person_match_or_register(actor=actor, name=identity.name, id_number=identity.id_number, center=center,
                                    phone=identity.phone, address=identity.address, source="portal", today=today)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _center_reviewers(center: Center) -> list[User]:
    return list(User.objects.filter(center=center, role__in=CENTER_ROLES, is_active=True))


def _sms_receipt(user_id: int, number: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    phone = sms_phone_for(user) if user is not None else ""
    if phone:
        send_sms(phone, template="application_submitted", params={"number": number})


@atomic_service
def application_submit(*, account: User, draft_id: Any, ip: str | None = None,
                       received_at: dt.datetime | None = None) -> Case:
    """Create the person(s) and the case at the routed center in one transaction, and tell the center."""
    from ..forms import validate_draft  # the step forms are the one place that validates the fields

    _require_applicant(account)
    draft = _locked_draft(account, draft_id)
    if not has_consent(draft, ConsentSubject.SELF):
        raise ValidationFailed("请先阅读并同意个人信息处理说明。", field="consent")
    clean = validate_draft(draft_data(draft))
    if clean.agent is not None and not has_consent(draft, ConsentSubject.RELATIVE):
        raise ValidationFailed("代亲属申请的，请确认已取得其同意或您是其法定代理人。", field="relative_consent")
    if not draft.files.filter(kind=FileKind.ID_DOCUMENT).exists():
        raise ValidationFailed("请上传申请人的身份证件照片（正反面）。", field="file")
    received_at = received_at or timezone.now()
    on = timezone.localdate(received_at)
    cleaned = validate_application(clean.data, on)
    # The account holder's own number, proven by the SMS code, is their contact number on a new person record.
    pref = ContactPreference.objects.filter(user=account).first()
    own_phone = pref.phone if pref is not None else ""
    if clean.agent is not None:
        clean = replace(clean, agent=replace(clean.agent, phone=clean.agent.phone or own_phone))
    else:
        clean = replace(clean, applicant=replace(clean.applicant, phone=clean.applicant.phone or own_phone))
    center = Center.objects.get(pk=clean.route.center_id)
    applicant, matched_applicant = _person_for(clean.applicant, center=center, actor=account, today=on)
    agent, matched_agent = (None, False)
    if clean.agent is not None:
        agent, matched_agent = _person_for(clean.agent, center=center, actor=account, today=on)
        if agent.pk == applicant.pk:  # checked here too, to point at the field the applicant typed
            raise ValidationFailed("代理申请人不能是申请人本人。", field="relative_id_number")
    # The same creation as staff intake: numbering, clocks, green channel, audit, the receipt documents.
    case = case_create(
        actor=account, center=center, channel=Channel.ONLINE, applicant=applicant, agent=agent,
        agent_relationship=clean.relationship, data=clean.data, cleaned=cleaned, received_at=received_at,
        event_payload={"routing": clean.route.rule},
    )
    names: list[str] = []
    for draft_file in draft.files.all():
        with draft_file.file.open("rb") as handle:
            upload = File(handle, name=draft_file.original_name)
            case_file_add(actor=account, case=case, kind=draft_file.kind, upload=cast(UploadedFile, upload))
        names.append(draft_file.file.name)
    draft.files.all().delete()
    transaction.on_commit(lambda: _delete_files(names))
    # What the applicant typed, for staff to compare with the registered person (ID numbers live on the person).
    declared = {"applicant": asdict(clean.applicant) | {"id_number": ""},
                "agent": (asdict(clean.agent) | {"id_number": ""}) if clean.agent else None}
    PortalSubmission.objects.create(
        case=case, account=account, draft=draft, submitted_at=received_at,
        matched_existing_applicant=matched_applicant, matched_existing_agent=matched_agent,
        declared=encrypt_text(json.dumps(declared, ensure_ascii=False)), routing=clean.route.as_dict(),
    )
    draft.consents.update(case=case)
    draft.submitted_at, draft.submitted_case, draft.step = received_at, case, DraftStep.CONFIRM
    # The typed ID numbers are not needed once the person rows hold them (encrypted): drop them from the draft.
    payload = draft_data(draft)
    for key in ("self_id_number", "relative_id_number"):
        payload.pop(key, None)
    draft.payload = encrypt_text(json.dumps(payload, ensure_ascii=False))
    draft.save(update_fields=["submitted_at", "submitted_case", "step", "payload", "updated_at"])
    before_commit(lambda: _tell_center_and_applicant(account, center, case))
    return case


def _tell_center_and_applicant(account: User, center: Center, case: Case) -> None:
    """After the case is numbered (the last thing its transaction does), in the same commit."""
    for reviewer in _center_reviewers(center):
        notification_send(user=reviewer, title="新的网上法律援助申请",
                          body=f"收到网上申请 {case.number}，请在法定期限内审查。",
                          link=f"/office/cases/{case.public_id}/")
    _sms_receipt(account.pk, case.number)  # queued with the case, sent after commit


@transaction.atomic
def draft_purge_stale(*, before: dt.datetime) -> int:
    """Daily housekeeping: drafts never submitted and untouched since ``before`` are deleted with their photos
    (PIPL art. 19: kept no longer than needed). The consents given for them stay on record."""
    stale = list(ApplicationDraft.objects.filter(submitted_at__isnull=True, updated_at__lt=before))
    names = [f.file.name for f in DraftFile.objects.filter(draft__in=stale)]
    for draft in stale:
        draft.files.all().delete()
        draft.consents.update(draft=None)
        audit_record(actor=None, action=AuditAction.DELETE, object_type="portal.applicationdraft",
                     object_id=str(draft.pk), detail={"reason": "stale"})
        draft.delete()
    transaction.on_commit(lambda: _delete_files(names))
    return len(stale)
