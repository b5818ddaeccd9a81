"""The admission criteria are data the bureau keeps (through the system administrator); everything else of the
duty app changes only through its services and screens."""

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import AdmissionCriterion


@admin.register(AdmissionCriterion)
class AdmissionCriterionAdmin(AuditedAdmin):
    list_display = ["code", "min_years", "local_default", "legal_basis", "effective_from", "effective_to"]
    list_filter = ["code", "local_default"]
