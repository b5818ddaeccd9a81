"""The need topics are a catalogue the system administrator keeps (audited); everything else changes only through
the services."""

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import NeedTopic


@admin.register(NeedTopic)
class NeedTopicAdmin(AuditedAdmin):
    list_display = ("code", "name", "sort_order", "active")
