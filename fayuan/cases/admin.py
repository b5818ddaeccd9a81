"""Case data is changed only through the services and read only through the scoped pages (三员分立: the system
administrator opens no case); the admin edits the one assignment setting a center keeps."""

from __future__ import annotations

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import ClientChoiceSettings


@admin.register(ClientChoiceSettings)
class ClientChoiceSettingsAdmin(AuditedAdmin):
    list_display = ["center", "choice_window_days"]
    autocomplete_fields = ["center"]
