"""Reads of notifications: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from fayuan.accounts.models import User

from .models import ContactPreference, Notification


def notifications_for(user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(user: User) -> int:
    return notifications_for(user, unread_only=True).count()


def sms_phone_for(user: User) -> str:
    """The number to text this user at, or "" when they have none or turned SMS off."""
    pref = ContactPreference.objects.filter(user=user).first()
    return pref.sms_phone if pref else ""
