from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from . import models as m


@admin.register(m.Matter)
class MatterAdmin(AuditedAdmin):
    list_display = ["code", "name", "is_supplementary", "effective_from", "effective_to", "legal_basis"]
    list_filter = ["is_supplementary"]
    search_fields = ["code", "name"]


@admin.register(m.CriminalGround)
class CriminalGroundAdmin(AuditedAdmin):
    list_display = ["code", "name", "mandatory", "requires_senior_defender", "effective_from", "legal_basis"]


@admin.register(m.ExemptionGroup)
class ExemptionGroupAdmin(AuditedAdmin):
    list_display = ["code", "name", "matters", "requires_groups", "effective_from", "legal_basis"]


@admin.register(m.FactRule)
class FactRuleAdmin(AuditedAdmin):
    list_display = ["code", "name", "effect", "effective_from", "legal_basis"]


@admin.register(m.GreenChannelRule)
class GreenChannelRuleAdmin(AuditedAdmin):
    list_display = ["code", "name", "groups", "facts", "matters", "min_age", "effective_from", "legal_basis"]
