"""Scoped reads of notices: an organ's liaison sees its own organ's notices; a center's staff those of their center
(through the case); a bureau those of the centers it supervises. Anything else is a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models import DocumentKind
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditAction

from .models import Notice

RELATED = ("organ", "person", "case", "case__provider", "case__provider__firm", "case__center", "custody_place")


def notices_visible_to(user: User) -> QuerySet[Notice]:
    qs = Notice.objects.select_related(*RELATED)
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    role = user.role
    if role == Role.ORGAN_LIAISON and user.organ_id:
        return qs.filter(organ_id=user.organ_id)
    if role in CENTER_ROLES and user.center_id:
        return qs.filter(case__center_id=user.center_id)
    if role == Role.BUREAU_SUPERVISOR:
        return qs if user.district_id is None else qs.filter(case__center__district_id=user.district_id)
    return qs.none()


def notice_get_for_user(user: User, public_id: Any, *, audit: bool = True) -> Notice:
    """One notice, or 404. Opening it is an audited read of personal data (the person's name, the charge)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    notice = notices_visible_to(user).filter(public_id=key).first()
    if notice is None:
        raise NotFoundOrForbidden()
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=notice)
    return notice


def letter_number(notice: Notice) -> str:
    """The number of the latest letter to the organ (issued at each assignment), or ''."""
    doc = notice.case.documents.filter(kind=DocumentKind.ORGAN_LETTER).order_by("-created_at", "-id").first()
    return doc.number if doc else ""
