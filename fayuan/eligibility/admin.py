"""The eligibility rules are data the bureau keeps current. Each list shows whether a row's legal text is confirmed
or still pending (the provincial regulation, the Ministry's procedure rules), so the bureau can complete it."""

from __future__ import annotations

from django.contrib import admin

from fayuan.core.admin import AuditedAdmin

from . import models as m


class RuleAdmin(AuditedAdmin):
    list_filter = ("basis_status",)
    search_fields = ("code", "name", "legal_basis")


@admin.register(m.Matter)
class MatterAdmin(RuleAdmin):
    list_display = ["code", "name", "specialty", "is_supplementary", "effective_from", "effective_to", "legal_basis",
                    "basis_status"]
    list_filter = ("basis_status", "is_supplementary")  # type: ignore[assignment]


@admin.register(m.CriminalGround)
class CriminalGroundAdmin(RuleAdmin):
    list_display = ["code", "name", "mandatory", "stages", "applies_to_groups", "requires_senior_defender",
                    "requires_minor_specialist", "effective_from", "effective_to", "legal_basis", "basis_status"]


@admin.register(m.ExemptionGroup)
class ExemptionGroupAdmin(RuleAdmin):
    list_display = ["code", "name", "matters", "requires_groups", "effective_from", "effective_to", "legal_basis",
                    "basis_status"]


@admin.register(m.FactRule)
class FactRuleAdmin(RuleAdmin):
    list_display = ["code", "name", "effect", "effective_from", "effective_to", "legal_basis", "basis_status"]


@admin.register(m.GreenChannelRule)
class GreenChannelRuleAdmin(RuleAdmin):
    list_display = ["code", "name", "groups", "facts", "matters", "min_age", "waives_means_test", "fast_track",
                    "effective_from", "effective_to", "legal_basis", "basis_status"]
    list_filter = ("basis_status", "waives_means_test", "fast_track")  # type: ignore[assignment]


@admin.register(m.AgeRule)
class AgeRuleAdmin(RuleAdmin):
    list_display = ["code", "name", "age", "effective_from", "effective_to", "legal_basis", "basis_status"]


@admin.register(m.OpenScopeGroup)
class OpenScopeGroupAdmin(RuleAdmin):
    list_display = ["code", "name", "groups", "effective_from", "effective_to", "legal_basis", "basis_status"]


@admin.register(m.MeansStandard)
class MeansStandardAdmin(RuleAdmin):
    list_display = ["code", "name", "effective_from", "effective_to", "legal_basis", "basis_status"]
