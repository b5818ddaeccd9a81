"""The full-coverage switches are rule rows the bureau keeps (through the system administrator); saving one bumps
the rule stamp (``CriminalConfig.ready`` watches the model). Notices change only through their services."""

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from .models import CoverageSwitch


@admin.register(CoverageSwitch)
class CoverageSwitchAdmin(AuditedAdmin):
    list_display = ["district", "stage", "effective_from", "effective_to", "local_default", "legal_basis"]
    list_filter = ["stage", "district", "local_default"]
