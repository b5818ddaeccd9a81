"""Every write to a person goes through here; each write is audited with the names (never values) of fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import ID_REVEAL_ROLES, PERSON_WRITER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.crypto import encrypt_text, lookup_hash
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.org.models import Center, Station

from . import idnumber
from .models import Person, PersonRegistration, PersonTag, PersonTagging, TagSource
from .selectors import person_get_for_user, persons_visible_to, show_registration

_EDITABLE = ("name", "phone", "address", "household_registration")


def _apply_id_number(person: Person, raw: str, *, today: dt.date) -> None:
    try:
        parsed = idnumber.parse(raw, today=today)
    except idnumber.InvalidIdNumber as exc:
        raise ValidationFailed(exc.message, field="id_number") from None
    person.id_number_encrypted = encrypt_text(parsed.value)
    person.id_number_hash = lookup_hash(parsed.value)
    person.id_number_masked = parsed.masked
    person.gender = parsed.gender
    person.birth_date = parsed.birth_date


def _intake_place(actor: User, station: Station | None) -> tuple[Center, Station | None]:
    if actor.role == Role.STATION_CLERK and actor.station is not None:
        return actor.station.center, actor.station
    if actor.center is not None:
        if station is not None and station.center_id != actor.center_id:
            raise ValidationFailed("所选工作站不属于您所在的中心。", field="intake_station")
        return actor.center, station
    raise PermissionDenied("您的账户未关联中心或工作站，不能登记人员。")


def _set_tags(person: Person, tag_codes: Iterable[str], source: str) -> None:
    codes = set(tag_codes)
    tags = {t.code: t for t in PersonTag.objects.filter(code__in=codes)}
    unknown = codes - tags.keys()
    if unknown:
        raise ValidationFailed(f"未知的人员标签：{'、'.join(sorted(unknown))}", field="tags")
    PersonTagging.objects.filter(person=person).exclude(tag__code__in=codes).delete()
    existing = set(PersonTagging.objects.filter(person=person).values_list("tag__code", flat=True))
    PersonTagging.objects.bulk_create(
        [PersonTagging(person=person, tag=tags[c], source=source) for c in sorted(codes - existing)]
    )


def _clean_text(fields: dict[str, Any]) -> dict[str, str]:
    cleaned = {k: str(fields.get(k) or "").strip() for k in _EDITABLE if k in fields}
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationFailed("请填写姓名。", field="name")
    return cleaned


@transaction.atomic
def person_register(
    *,
    actor: User,
    name: str,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    household_registration: str = "",
    tag_codes: Iterable[str] = (),
    tag_source: str = TagSource.SELF_DECLARED,
    intake_station: Station | None = None,
    today: dt.date | None = None,
) -> Person:
    """Register a person at the actor's station, or at the actor's center (optionally via one of its stations)."""
    if actor.role not in PERSON_WRITER_ROLES:
        raise PermissionDenied("您的角色不能登记人员。")
    fields = _clean_text(
        {"name": name, "phone": phone, "address": address, "household_registration": household_registration}
    )
    intake_center, intake_station = _intake_place(actor, intake_station)
    person = Person(intake_center=intake_center, intake_station=intake_station, created_by=actor, **fields)
    if id_number.strip():
        _apply_id_number(person, id_number, today=today or timezone.localdate())
        known = Person.objects.select_for_update().filter(id_number_hash=person.id_number_hash).first()
        if known is not None:
            return _register_known(actor=actor, person=known, center=intake_center, station=intake_station,
                                   fields=fields, tag_codes=tag_codes, tag_source=tag_source)
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:
        raise Conflict(DUPLICATE_MESSAGE, field="id_number") from None
    _set_tags(person, tag_codes, tag_source)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=person,
        detail={"fields": sorted([*fields, *(["id_number"] if id_number.strip() else [])]), "tags": sorted(tag_codes)},
    )
    return person


DUPLICATE_MESSAGE = "该身份证号码已登记，请通过姓名检索已有记录，不要重复登记。"


def _register_known(*, actor: User, person: Person, center: Center, station: Station | None, fields: dict[str, str],
                    tag_codes: Iterable[str], tag_source: str) -> Person:
    """A number already registered. Known in the actor's own scope: say so (it is their record). Known only
    elsewhere: link this center to the same person and answer as for a new one, with what the clerk typed. Saying
    "already registered" would tell anyone who can register that this number applied for legal aid somewhere."""
    if persons_visible_to(actor).filter(pk=person.pk).exists():
        raise Conflict(DUPLICATE_MESSAGE, field="id_number")
    codes = sorted(set(tag_codes))
    unknown = set(codes) - set(PersonTag.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        raise ValidationFailed(f"未知的人员标签：{'、'.join(sorted(unknown))}", field="tags")
    try:
        with transaction.atomic():
            registration = PersonRegistration(
                person=person, center=center, station=station, registered_by=actor, registered_at=timezone.now(),
                name=fields.get("name", ""), address=fields.get("address", ""),
                household_registration=fields.get("household_registration", ""), tag_codes=codes,
                tag_source=tag_source)
            registration.phone = fields.get("phone", "")  # encrypted, hashed and masked by the setter
            registration.save(force_insert=True)
    except IntegrityError:  # the same registration a moment ago: now it is in scope
        raise Conflict(DUPLICATE_MESSAGE, field="id_number") from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=registration,
                 detail={"person": str(person.public_id), "fields": sorted([*fields, "id_number"]), "tags": codes})
    show_registration(person, registration)
    return person


@transaction.atomic
def person_update(
    *, actor: User, public_id: Any, changes: dict[str, Any], tag_codes: Iterable[str] | None = None
) -> Person:
    """Correct a person's details. Only people in the actor's scope can be changed (404 otherwise)."""
    if actor.role not in PERSON_WRITER_ROLES:
        raise PermissionDenied("您的角色不能修改人员信息。")
    person = person_get_for_user(actor, public_id, audit=False, for_update=True)
    fields = _clean_text(changes)
    changed = [k for k, v in fields.items() if getattr(person, k) != v]
    registration: PersonRegistration | None = getattr(person, "shown_registration", None)
    if registration is not None:
        return _update_registration(actor=actor, person=person, registration=registration, fields=fields,
                                    changed=changed, changes=changes, tag_codes=tag_codes)
    for key in changed:
        setattr(person, key, fields[key])
    if str(changes.get("id_number") or "").strip():
        _apply_id_number(person, str(changes["id_number"]), today=timezone.localdate())
        changed.append("id_number")
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise Conflict("该身份证号码已登记在另一人员名下。", field="id_number") from None
    if tag_codes is not None:
        _set_tags(person, tag_codes, TagSource.SELF_DECLARED)
        changed.append("tags")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, detail={"fields": sorted(changed)})
    return person


def _update_registration(*, actor: User, person: Person, registration: PersonRegistration, fields: dict[str, str],
                         changed: list[str], changes: dict[str, Any], tag_codes: Iterable[str] | None) -> Person:
    """Corrections by a center that sees the person through its registration change that registration only."""
    if str(changes.get("id_number") or "").strip():
        raise ValidationFailed("该人员的身份证号码由首次登记的中心维护，不能在此修改。", field="id_number")
    for key in changed:
        setattr(registration, key, fields[key])
    # The phone is three columns (ciphertext, hash, mask): save them together.
    update = [f for key in changed for f in (PersonRegistration.PHONE_FIELDS if key == "phone" else (key,))]
    if tag_codes is not None:
        codes = sorted(set(tag_codes))
        unknown = set(codes) - set(PersonTag.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise ValidationFailed(f"未知的人员标签：{'、'.join(sorted(unknown))}", field="tags")
        registration.tag_codes, registration.tag_source = codes, TagSource.SELF_DECLARED
        update += ["tag_codes", "tag_source"]
        changed.append("tags")
    if update:
        registration.save(update_fields=update)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=registration, detail={"fields": sorted(changed)})
    show_registration(person, registration)
    return person


@transaction.atomic
def person_reveal_id_number(*, actor: User, public_id: Any, purpose: str) -> str:
    """Return the full ID number to an entitled role, recording who asked and why."""
    if actor.role not in ID_REVEAL_ROLES:
        raise PermissionDenied("您的角色无权查看完整身份证号码。")
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ValidationFailed("请说明查看完整身份证号码的用途（如：核对申请人身份）。", field="purpose")
    person = person_get_for_user(actor, public_id, audit=False)
    audit_record(actor=actor, action=AuditAction.REVEAL, obj=person, detail={"field": "id_number"}, purpose=purpose)
    return person.decrypted_id_number()


@transaction.atomic
def person_link_account(*, actor: User, public_id: Any, account: User) -> Person:
    """Let an applicant's sign-in account see their own record (after staff checked who they are)."""
    if actor.role not in PERSON_WRITER_ROLES:
        raise PermissionDenied("您的角色不能关联账户。")
    if account.role != Role.APPLICANT:
        raise ValidationFailed("只能关联申请人账户。", field="account")
    person = person_get_for_user(actor, public_id, audit=False, for_update=True)
    if Person.objects.filter(account=account).exclude(pk=person.pk).exists():
        raise Conflict("该账户已关联其他人员。", field="account")
    person.account = account
    person.save(update_fields=["account", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=person, detail={"fields": ["account"]})
    return person


@transaction.atomic
def person_match_or_register(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    center: Center,
    phone: str = "",
    address: str = "",
    source: str,
    today: dt.date | None = None,
) -> tuple[Person, bool]:
    """The registered person with this ID number, or a new one at ``center``; ``(person, matched)``.

    For intake paths where the caller is not a staff member (an online application, an organ's notice): nothing
    about an existing record is changed or returned to the caller beyond the row itself, so the answer looks the
    same whether the number was known or not (the match is shown to staff only). ``source`` is recorded in the
    audit entry (``"portal"``, ``"organ_notice"``)."""
    today = today or timezone.localdate()
    try:
        parsed = idnumber.parse(id_number, today=today)
    except idnumber.InvalidIdNumber as exc:
        raise ValidationFailed(exc.message, field="id_number") from None
    key = lookup_hash(parsed.value)
    existing = Person.objects.filter(id_number_hash=key).first()
    if existing is not None:
        return existing, True
    fields = _clean_text({"name": name[:60], "phone": phone[:20], "address": address[:200]})
    # An applicant registering themselves online is not a "registering clerk": created_by stays empty.
    registrar = actor if actor is not None and actor.role != Role.APPLICANT else None
    person = Person(intake_center=center, created_by=registrar, **fields)
    _apply_id_number(person, parsed.value, today=today)
    try:
        with transaction.atomic():
            person.save(force_insert=True)
    except IntegrityError:  # the same number registered a moment ago by another request
        found = Person.objects.filter(id_number_hash=key).first()
        if found is None:
            raise
        return found, True
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person,
                 detail={"fields": sorted([*(k for k, v in fields.items() if v), "id_number"]), "source": source})
    return person, False


@transaction.atomic
def person_register_unidentified(*, actor: User | None, name: str, center: Center, source: str) -> Person:
    """A person known only by name, registered at ``center`` without an ID number: a detained person's application
    forwarded by an organ, or an organ's notice before the identity is checked (身份待核实). Always a new row:
    without a number there is nothing to match safely; staff complete or link it on the person's record."""
    fields = _clean_text({"name": name[:60]})
    registrar = actor if actor is not None and actor.role != Role.APPLICANT else None
    person = Person.objects.create(intake_center=center, created_by=registrar, **fields)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person,
                 detail={"fields": ["name"], "source": source, "identity": "pending"})
    return person
