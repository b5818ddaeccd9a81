"""The repeated-complaint rule is a row the bureau keeps (through the system administrator): end the row in force and
add the new one with its basis. It is read afresh on every look, so no rule cache to bump. Complaints themselves
change only through their services."""

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import RepeatRule


@admin.register(RepeatRule)
class RepeatRuleAdmin(AuditedAdmin):
    list_display = ["effective_from", "effective_to", "threshold", "window_months", "basis_status", "legal_basis"]
