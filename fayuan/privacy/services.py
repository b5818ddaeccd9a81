"""The privacy duties as services: a person's data export, and anonymization at the end of retention.

Anonymization replaces personal fields in place and deletes uploaded and generated files; it keeps what the
statistics count (district and center, case type, matter code, channel, dates, status, outcome, household size and
income band inputs, groups). It never touches the audit log: audit entries hold ids, never names or numbers, so the
chain verifies as before (``verify_audit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    CaseFile,
    ClosingFile,
    Decision,
    Document,
    Objection,
    ProgressEntry,
    ProviderChangeRequest,
    Status,
    SupplementRequest,
    Termination,
)
from fayuan.cases.selectors import cases_visible_to
from fayuan.complaints.models import Complaint
from fayuan.consultations.models import Consultation
from fayuan.consultations.selectors import consultations_visible_to
from fayuan.core.audit import audit_record
from fayuan.core.errors import PermissionDenied
from fayuan.core.models import AuditAction
from fayuan.core.partitions import frozen_writes_allowed
from fayuan.criminal.models import Notice
from fayuan.custody.models import RightsNotification
from fayuan.duty.models import HelpRecord
from fayuan.notifications.models import ContactPreference, SmsMessage
from fayuan.people.models import Person, PersonRegistration
from fayuan.people.selectors import person_taggings
from fayuan.quality.models import (
    ClosingEvaluation,
    CollectiveDiscussion,
    FollowUpVisit,
    HearingAttendance,
    StageEvaluation,
)
from fayuan.quality.peer_review.models import PeerSample

from . import retention
from .models import Anonymization
from .selectors import EXPORT_ROLES, person_cases, person_for_privacy

ANONYMOUS_NAME = "已匿名"
# An organ's notice: free text that identifies the person (the organ's case number, its contact) or is criminal
# data about them (the charge); organ, stage, ground, procedure and dates stay for the statistics.
_NOTICE_FREE_TEXT = {"charge": ANONYMOUS_NAME, "organ_case_number": "", "contact": "", "custody_place_text": "",
                     "duty_note": "", "duty_status_note": ""}
EXPORT_FORMAT = "fayuan-person-export/1"


# --- Export ----------------------------------------------------------------------------------------------------

def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person_section(person: Person) -> dict[str, Any]:
    return {
        "public_id": str(person.public_id), "name": person.name, "id_number": person.decrypted_id_number(),
        "gender": person.get_gender_display() if person.gender else "", "birth_date": _iso(person.birth_date),
        "phone": person.phone, "address": person.address, "household_registration": person.household_registration,
        "tags": [{"code": t.tag.code, "name": t.tag.name, "source": t.get_source_display()}
                 for t in person_taggings(person)],
        "registered_at": _iso(person.created_at),
        "registered_by": person.intake_station.name if person.intake_station else person.intake_center.name,
    }


def _role(case: Case, person_ids: set[int]) -> str:
    if case.applicant_id in person_ids:
        return "申请人"
    return "代理申请人" if case.agent_id in person_ids else "网上提交"


def _case_section(case: Case, role: str) -> dict[str, Any]:
    """One case as the person's own data. The other party to the application (the applicant when the person is
    the agent, or the agent) is named by role only: their data is theirs."""
    return {
        "number": case.number, "role": role,
        "center": case.center.name, "status": case.get_status_display(), "case_type": case.get_case_type_display(),
        "channel": case.get_channel_display(), "matter": case.matter, "matter_summary": case.matter_summary,
        "opposing_party": case.opposing_party, "handling_organ": case.handling_organ,
        "organ_case_number": case.organ_case_number, "facts": case.facts, "household_size": case.household_size,
        "household_monthly_income": str(case.household_monthly_income), "groups": list(case.groups),
        "special_facts": list(case.special_facts), "received_at": _iso(case.received_at),
        "retention_until": _iso(case.retention_until),
        "provider": case.provider.name if case.provider else "",
        "decisions": [{"kind": d.get_kind_display(), "reasons": d.reasons, "decided_at": _iso(d.decided_at),
                       "document_number": d.document_number} for d in Decision.objects.filter(case=case)],
        "events": [{"kind": e.kind, "from": e.from_status, "to": e.to_status, "at": _iso(e.at), "note": e.note}
                   for e in CaseEvent.objects.filter(case=case).order_by("at", "id")],
        "documents": [{"kind": d.get_kind_display(), "number": d.number, "created_at": _iso(d.created_at)}
                      for d in Document.objects.filter(case=case)],
        "files": [{"kind": f.get_kind_display(), "name": f.original_name, "size": f.size, "sha256": f.sha256,
                   "uploaded_at": _iso(f.uploaded_at)} for f in CaseFile.objects.filter(case=case)],
    }


def _sms_section(person: Person) -> list[dict[str, Any]]:
    hashes = {person.phone_hash} if person.phone_hash else set()
    if person.account_id:
        hashes |= set(ContactPreference.objects.filter(user_id=person.account_id)
                      .exclude(phone_hash="").values_list("phone_hash", flat=True))
    if not hashes:
        return []
    # log_text is what may be shown: a sign-in code is never in it.
    return [{"to": m.phone_masked, "text": m.log_text, "status": m.get_status_display(),
             "created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at)}
            for m in SmsMessage.objects.filter(phone_hash__in=hashes).order_by("created_at")]


@transaction.atomic
def person_data_export(*, actor: User, public_id: Any) -> dict[str, Any]:
    """Everything the actor's center (or station) holds about a person, decrypted, for the person's request
    (PIPL art. 45: right to access and copy; the text is not held here). Audited as an export; 404 out of scope."""
    if actor.role not in EXPORT_ROLES:
        raise PermissionDenied("您的角色不能导出个人信息。")
    person = person_for_privacy(actor, public_id, roles=EXPORT_ROLES)
    cases = list(person_cases(actor, person).select_related("center", "provider"))
    consultations = consultations_visible_to(actor).filter(person=person).order_by("occurred_at", "id")
    data = {
        "format": EXPORT_FORMAT, "generated_at": timezone.now().isoformat(),
        "generated_by": actor.display_name or actor.get_username(),
        "notice": "本文件包含个人信息，请直接交给本人或其代理人，不要转发或留存副本。",
        "person": _person_section(person),
        "cases": [_case_section(case, _role(case, {person.pk})) for case in cases],
        "consultations": [{"channel": c.get_channel_display(), "occurred_at": _iso(c.occurred_at),
                           "matter": c.matter, "question": c.question, "advice": c.advice} for c in consultations],
        "sms": _sms_section(person),
    }
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=person,
                 detail={"kind": "person_data_export", "cases": len(cases)})
    return data


@transaction.atomic
def applicant_data_export(*, actor: User) -> dict[str, Any]:
    """An applicant's own copy, from the portal: their linked person record with its cases, and the cases they
    submitted online (for a relative too: they filled those in)."""
    if actor.role != Role.APPLICANT:
        raise PermissionDenied("只有申请人本人可以下载。")
    persons = list(Person.objects.filter(account=actor))
    cases = cases_visible_to(actor).select_related("center", "provider").order_by("received_at", "id")
    pref = ContactPreference.objects.filter(user=actor).first()
    data = {
        "format": EXPORT_FORMAT, "generated_at": timezone.now().isoformat(),
        "account": {"phone": pref.phone if pref else "", "created": _iso(actor.date_joined)},
        "persons": [_person_section(p) for p in persons],
        "cases": [_case_section(case, _role(case, {p.pk for p in persons})) for case in cases],
        "sms": [s for p in persons for s in _sms_section(p)],
    }
    audit_record(actor=actor, action=AuditAction.EXPORT, obj=actor,
                 detail={"kind": "applicant_data_export", "cases": len(data["cases"])})
    return data


# --- Anonymization at the end of retention -----------------------------------------------------------------------

def _delete_later(names: list[str]) -> None:
    """Delete stored files once the transaction committed: a rollback must not leave rows without their files."""
    def delete() -> None:
        for name in names:
            if name and default_storage.exists(name):
                default_storage.delete(name)
    transaction.on_commit(delete)


@transaction.atomic
def case_anonymize(*, case_id: int, on: dt.date) -> bool:
    """Clear the personal content of one case past its retention; False when it is not due (or already done)."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not retention.case_due(case.status, case.retention_until, on) or \
            Anonymization.objects.filter(case=case).exists():
        return False
    case.opposing_party = ANONYMOUS_NAME if case.opposing_party else ""
    case.opposing_party_id_hash = ""
    case.matter_summary = ANONYMOUS_NAME
    case.facts = ""
    case.organ_case_number = ""
    case.save(update_fields=["opposing_party", "opposing_party_id_hash", "matter_summary", "facts",
                             "organ_case_number", "updated_at"])
    with frozen_writes_allowed():  # the case's years may be frozen archives: retention must still reach them
        CaseEvent.objects.filter(case=case).exclude(note="").update(note="")
        Consultation.objects.filter(case=case).update(question="", advice="", caller_name="")
    Decision.objects.filter(case=case).update(reasons="")
    Termination.objects.filter(case=case).update(provider_report="", explanation="")
    Objection.objects.filter(case=case).update(grounds="", decision_reasons="")
    SupplementRequest.objects.filter(case=case).update(note="")
    ProgressEntry.objects.filter(case=case).update(summary="")
    ClosingFile.objects.filter(case=case).update(report="", review_notes="")
    ProviderChangeRequest.objects.filter(case=case).update(reason="")
    Assignment.objects.filter(case=case).update(override_reason="")
    # Complaints about its provider: who complained and what they said go; category, outcome, measures and dates stay
    # (the repeated-complaint flag and the bulletins count them).
    Complaint.objects.filter(case=case).update(
        complainant_name=ANONYMOUS_NAME, phone_encrypted="", phone_hash="", phone_masked="", facts="",
        points_for_provider="", provider_response="", findings="")
    # Its quality record's free text (opinions, observations, what the recipient said on the follow-up call) may name
    # people; grades, scores, dates and who took part stay for the bulletins and subsidies.
    CollectiveDiscussion.objects.filter(case=case).update(opinions="", conclusion=ANONYMOUS_NAME)
    StageEvaluation.objects.filter(case=case).update(comment="")
    ClosingEvaluation.objects.filter(case=case).update(organ_opinion="")
    HearingAttendance.objects.filter(case=case).update(observations="")
    FollowUpVisit.objects.filter(case=case).update(result="")
    PeerSample.objects.filter(case=case).update(item_comments={}, comment="")
    # The organ's notice that opened the case.
    Notice.objects.filter(case=case).update(**_NOTICE_FREE_TEXT)
    # The portal's own rows, reached by app registry (the portal is a sibling feature app, not imported).
    apps.get_model("portal", "Rating").objects.filter(case=case).update(comment="")
    apps.get_model("portal", "ApplicationDraft").objects.filter(submitted_case=case).update(payload="")
    apps.get_model("portal", "PortalSubmission").objects.filter(case=case).update(declared="")
    files = [f.file.name for f in CaseFile.objects.filter(case=case)]
    files += [d.file.name for d in Document.objects.filter(case=case)]
    CaseFile.objects.filter(case=case).update(file="", original_name="（已删除）")
    Document.objects.filter(case=case).update(file="")
    _delete_later(files)
    deleted = len([f for f in files if f])
    Anonymization.objects.create(case=case, anonymized_at=timezone.now(), retention_until=case.retention_until,
                                 files_deleted=deleted)
    audit_record(actor=None, action=AuditAction.UPDATE, obj=case,
                 detail={"operation": "anonymize", "retention_until": _iso(case.retention_until),
                         "files_deleted": deleted})
    return True


@transaction.atomic
def person_anonymize(*, person_id: int, on: dt.date) -> bool:
    """Clear a person's identity once none of their cases and consultations is within retention."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or Anonymization.objects.filter(person=person).exists():
        return False
    cases = Case.objects.filter(Q(applicant=person) | Q(agent=person))
    if any(not retention.case_due(status, until, on) for status, until in cases.values_list("status",
                                                                                             "retention_until")):
        return False
    recent = Consultation.objects.filter(person=person, occurred_at__date__gt=retention.consultation_cutoff(on))
    if recent.exists():
        return False
    # A duty lawyer's help or a rights notification naming the person keeps them too, for its own period.
    cutoff = retention.record_cutoff(on)
    if (HelpRecord.objects.filter(person=person, recorded_at__date__gte=cutoff).exists()
            or RightsNotification.objects.filter(person=person, notified_at__date__gte=cutoff).exists()
            or Notice.objects.filter(person=person, case__isnull=True, received_at__date__gte=cutoff).exists()):
        return False
    person.name = ANONYMOUS_NAME
    person.id_number_encrypted, person.id_number_hash, person.id_number_masked = "", None, ""
    person.phone = ""
    person.address = person.household_registration = ""
    if person.birth_date is not None:  # the year stays for the age groups of the statistics
        person.birth_date = person.birth_date.replace(month=1, day=1)
    person.account = None
    person.save()
    PersonRegistration.objects.filter(person=person).update(
        name=ANONYMOUS_NAME, phone_encrypted="", phone_hash="", phone_masked="", address="",
        household_registration="")
    with frozen_writes_allowed():  # consultations of frozen years too (see case_anonymize)
        Consultation.objects.filter(person=person).update(question="", advice="", caller_name="")
    Anonymization.objects.create(person=person, anonymized_at=timezone.now())
    audit_record(actor=None, action=AuditAction.UPDATE, obj=person, detail={"operation": "anonymize"})
    return True


def _notification_due(row: RightsNotification, on: dt.date) -> bool:
    case_pending = row.case_id is not None and not Anonymization.objects.filter(case_id=row.case_id).exists()
    return retention.record_due(timezone.localdate(row.notified_at), on, case_pending=case_pending)


@transaction.atomic
def rights_notification_anonymize(*, notification_id: int, on: dt.date) -> int:
    """Clear the suspect's name and ID number from a rights notification past retention; the number of rows
    cleared (0 when not due or done). The coverage report counts suspects as distinct (organ case number, name)
    pairs, so one suspect's rows of the same police case are cleared together, once the last of them is due, and
    share a stand-in name (the lowest row id), which says nothing about the person. The organ, its case number,
    occasion, method, dates and whether the suspect applied stay: the report counts them."""
    row = RightsNotification.objects.select_for_update().filter(pk=notification_id).first()
    if row is None or Anonymization.objects.filter(rights_notification=row).exists():
        return 0
    group = list(RightsNotification.objects.select_for_update(of=("self",))  # not the outer-joined side
                 .filter(organ_id=row.organ_id, organ_case_number=row.organ_case_number,
                         suspect_name=row.suspect_name, anonymization__isnull=True).order_by("pk"))
    if not all(_notification_due(r, on) for r in group):
        return 0
    pseudonym = f"{ANONYMOUS_NAME}#{group[0].pk}"
    now = timezone.now()
    for r in group:
        r.suspect_name = pseudonym
        r.id_number_encrypted = r.id_number_hash = r.id_number_masked = ""
        r.save(update_fields=["suspect_name", "id_number_encrypted", "id_number_hash", "id_number_masked"])
        Anonymization.objects.create(rights_notification=r, anonymized_at=now)
        audit_record(actor=None, action=AuditAction.UPDATE, obj=r,
                     detail={"operation": "anonymize", "fields": ["suspect_name", "id_number"]})
    return len(group)


@transaction.atomic
def help_record_anonymize(*, help_record_id: int, on: dt.date) -> bool:
    """Clear the helped person's name, the organ's case number and the lawyer's notes from a duty help record past
    retention; False when not due (or done). Station, lawyer, stage, kind, dates and forwarding stay (duty reports)."""
    row = HelpRecord.objects.select_for_update().filter(pk=help_record_id).first()
    if row is None or Anonymization.objects.filter(help_record=row).exists() or \
            not retention.record_due(timezone.localdate(row.recorded_at), on):
        return False
    row.person_name, row.organ_case_number, row.notes = ANONYMOUS_NAME, "", ""
    row.save(update_fields=["person_name", "organ_case_number", "notes"])
    Anonymization.objects.create(help_record=row, anonymized_at=timezone.now())
    audit_record(actor=None, action=AuditAction.UPDATE, obj=row,
                 detail={"operation": "anonymize", "fields": ["person_name", "organ_case_number", "notes"]})
    return True


@transaction.atomic
def duty_notice_anonymize(*, notice_id: int, on: dt.date) -> bool:
    """Clear the free text of a notice routed to the duty station (it opened no case, so no case's anonymization
    reaches it) past the same period from its receipt; False when not due or done. Organ, stage, ground, procedure,
    dates and the duty lawyer stay (coverage and duty reports)."""
    row = Notice.objects.select_for_update().filter(pk=notice_id, case__isnull=True).first()
    if row is None or row.charge == ANONYMOUS_NAME or \
            not retention.record_due(timezone.localdate(row.received_at), on):
        return False
    for name, value in _NOTICE_FREE_TEXT.items():
        setattr(row, name, value)
    row.save(update_fields=list(_NOTICE_FREE_TEXT))
    audit_record(actor=None, action=AuditAction.UPDATE, obj=row,
                 detail={"operation": "anonymize", "fields": list(_NOTICE_FREE_TEXT)})
    return True


def anonymize_expired(*, on: dt.date) -> dict[str, int]:
    """The retention task: each archived case past its retention date; each rights notification and duty help
    record past the same period from its own date; then each person of those whose every case, consultation and
    record is past retention. One transaction per record, so one failure does not hold back the rest; idempotent
    (done records are skipped)."""
    due = (Case.objects.filter(status=Status.ARCHIVED, retention_until__lt=on, anonymization__isnull=True)
           .values_list("pk", flat=True))
    done_cases = sum(case_anonymize(case_id=pk, on=on) for pk in list(due))
    cutoff = retention.record_cutoff(on)
    # A local date before the cutoff: one day of slack in the query, the exact test in the service.
    slack = cutoff + dt.timedelta(days=1)
    notifications = (RightsNotification.objects.filter(notified_at__date__lt=slack, anonymization__isnull=True)
                     .order_by("pk").values_list("pk", flat=True))
    done_notifications = sum(rights_notification_anonymize(notification_id=pk, on=on) for pk in list(notifications))
    helps = (HelpRecord.objects.filter(recorded_at__date__lt=slack, anonymization__isnull=True)
             .order_by("pk").values_list("pk", flat=True))
    done_helps = sum(help_record_anonymize(help_record_id=pk, on=on) for pk in list(helps))
    duty_notices = (Notice.objects.filter(case__isnull=True, received_at__date__lt=slack)
                    .exclude(charge=ANONYMOUS_NAME).order_by("pk").values_list("pk", flat=True))
    done_duty_notices = sum(duty_notice_anonymize(notice_id=pk, on=on) for pk in list(duty_notices))
    expired = Case.objects.filter(status=Status.ARCHIVED, retention_until__lt=on)
    done_records = (Q(duty_help__anonymization__isnull=False) | Q(rights_notifications__anonymization__isnull=False)
                    | Q(notices__case__isnull=True, notices__charge=ANONYMOUS_NAME))
    candidates = (Person.objects.filter(Q(pk__in=expired.values("applicant_id")) | Q(pk__in=expired.values("agent_id"))
                                        | done_records)
                  .filter(anonymization__isnull=True).distinct().values_list("pk", flat=True))
    done_people = sum(person_anonymize(person_id=pk, on=on) for pk in list(candidates))
    return {"cases": done_cases, "persons": done_people, "rights_notifications": done_notifications,
            "help_records": done_helps, "duty_notices": done_duty_notices}
