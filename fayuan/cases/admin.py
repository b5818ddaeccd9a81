"""Case data is changed only through the services; the admin edits the one assignment setting a center keeps."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from fayuan.core.admin import AuditedAdmin

from .models import ClientChoiceSettings, ProviderChangeRequest


@admin.register(ClientChoiceSettings)
class ClientChoiceSettingsAdmin(AuditedAdmin):
    list_display = ["center", "choice_window_days"]
    autocomplete_fields = ["center"]


@admin.register(ProviderChangeRequest)
class ProviderChangeRequestAdmin(admin.ModelAdmin):
    """Filed by recipients and closed by ``case_change_provider``: visible here, never edited here."""

    list_display = ["case", "provider", "created_at", "handled_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
