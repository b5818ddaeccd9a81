"""Writes for notifications. Sending is audited (who was told what, and when); marking read is the reader's own
screen state and is not."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service

from .models import ContactPreference, Notification, mobile_number, validate_path_only


@atomic_service
def notification_send(*, user: User, title: str, body: str, link: str = "") -> Notification:
    """Put a message in ``user``'s in-app inbox. ``link`` is a bare site path (no query string: no personal data)."""
    title = title.strip()
    if not title:
        raise ValidationFailed("通知标题不能为空。", field="title")
    try:
        validate_path_only(link)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], field="link") from None
    notification = Notification.objects.create(user=user, title=title[:120], body=body, link=link)
    audit_record(actor=None, action=AuditAction.CREATE, obj=notification, detail={"user": user.pk})
    return notification


@atomic_service
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; anybody else's looks like a missing one."""
    notification = Notification.objects.select_for_update().filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFoundOrForbidden()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@atomic_service
def contact_preference_set(*, actor: User, user: User, phone: str, sms_enabled: bool = True) -> ContactPreference:
    """Record where ``user`` receives SMS reminders (staff accounts have no phone field of their own)."""
    phone = phone.strip()
    if phone:
        try:
            mobile_number(phone)
        except ValidationError as exc:
            raise ValidationFailed(exc.messages[0], field="phone") from None
    pref, created = ContactPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"phone": phone, "sms_enabled": sms_enabled}
    )
    if not created:
        pref.phone, pref.sms_enabled = phone, sms_enabled
        pref.save(update_fields=[*ContactPreference.PHONE_FIELDS, "sms_enabled"])
    audit_record(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=pref,
        detail={"fields": ["phone", "sms_enabled"]},
    )
    return pref
