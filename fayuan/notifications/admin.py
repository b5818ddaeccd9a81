from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.core.admin import AuditedAdmin

from . import models as m


class ContactPreferenceForm(forms.ModelForm):
    """The number is typed in clear and stored encrypted (``ProtectedPhone``); the form shows it masked."""

    phone = forms.CharField(label="手机号码", max_length=11, required=False, validators=[m.mobile_number],
                            help_text="加密保存；留空则不修改。")

    class Meta:
        model = m.ContactPreference
        fields = ["user", "sms_enabled"]

    def save(self, commit: bool = True) -> m.ContactPreference:
        if self.cleaned_data.get("phone"):
            self.instance.phone = self.cleaned_data["phone"]
        return super().save(commit=commit)


@admin.register(m.ContactPreference)
class ContactPreferenceAdmin(AuditedAdmin):
    """Staff accounts' SMS numbers. Never an applicant's (三员分立): the public site adopts the applicant account
    whose SMS number signs in, so whoever could write one here could sign in as that applicant and read their
    applications."""

    form = ContactPreferenceForm
    list_display = ["user", "phone_masked", "sms_enabled"]
    readonly_fields = ["phone_masked"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).exclude(user__role=Role.APPLICANT)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.exclude(role=Role.APPLICANT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(m.SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """Read-only: what was queued and what became of it. The number and text are shown masked / as logged."""

    list_display = ["created_at", "phone_masked", "log_text", "status", "attempts", "sent_at", "delivery"]
    list_filter = ["status", "delivery", "template"]
    fields = readonly_fields = ("id", "phone_masked", "log_text", "template", "status", "attempts", "created_at",
                                "last_attempt_at", "sent_at", "backend", "last_error", "provider_id", "delivery",
                                "delivered_at", "delivery_error", "delivery_checked_at")


@admin.register(m.SmsLog)
class SmsLogAdmin(admin.ModelAdmin):
    """Read-only: the log records what was sent."""

    list_display = ["sent_at", "phone_masked", "backend", "ok"]
    list_filter = ["ok", "backend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
