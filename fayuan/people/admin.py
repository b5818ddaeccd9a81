"""Only the tag catalogue is in the admin: the system administrator reads no person's details."""

from __future__ import annotations

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import PersonTag


@admin.register(PersonTag)
class PersonTagAdmin(AuditedAdmin):
    list_display = ["code", "name", "legal_basis"]
    search_fields = ["code", "name"]
