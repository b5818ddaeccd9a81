from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from fayuan.core.admin import AuditedAdmin

from . import models as m


class PopulationInline(admin.TabularInline):
    model = m.DistrictPopulation
    extra = 0


class MinimumWageInline(admin.TabularInline):
    model = m.MinimumWage
    extra = 0


@admin.register(m.District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "code_is_official"]
    search_fields = ["code", "name"]
    inlines = [PopulationInline, MinimumWageInline]


@admin.register(m.MinimumWage)
class MinimumWageAdmin(AuditedAdmin):
    list_display = ["district", "monthly_amount", "effective_from", "effective_to", "legal_basis"]
    list_filter = ["district"]


@admin.register(m.DistrictPopulation)
class DistrictPopulationAdmin(AuditedAdmin):
    list_display = ["district", "year", "population", "is_estimate", "source"]
    list_filter = ["district", "year"]


@admin.register(m.Center)
class CenterAdmin(AuditedAdmin):
    list_display = ["name", "level", "district", "phone"]
    search_fields = ["name"]


@admin.register(m.Station)
class StationAdmin(AuditedAdmin):
    list_display = ["name", "type", "kind", "center", "district", "has_duty_lawyer", "active"]
    list_filter = ["type", "kind", "district", "has_duty_lawyer", "active"]
    search_fields = ["name", "address"]


class QualificationInline(admin.TabularInline):
    model = m.StaffQualification
    extra = 0


@admin.register(m.Organ)
class OrganAdmin(AuditedAdmin):
    list_display = ["name", "kind", "level", "district", "center", "active"]
    list_filter = ["kind", "level", "district", "active"]
    search_fields = ["name"]


@admin.register(m.Staff)
class StaffAdmin(AuditedAdmin):
    list_display = ["name", "center", "position", "active"]
    list_filter = ["center", "active"]
    search_fields = ["name"]
    inlines = [QualificationInline]


@admin.register(m.Firm)
class FirmAdmin(AuditedAdmin):
    list_display = ["name", "kind", "district", "license_number"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]


@admin.register(m.Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "kind", "firm", "home_center", "excellent_team", "criminal_pool", "capacity", "active"]
    list_filter = ["kind", "home_center", "excellent_team", "criminal_pool", "active", "specialties"]
    search_fields = ["name", "license_number", "firm__name"]
    filter_horizontal = ["specialties", "languages"]
    autocomplete_fields = ["firm"]
    # Mirrors an open membership of the criminal-defense pool: written only by its services (office pages).
    readonly_fields = ["criminal_pool"]


@admin.register(m.DefensePoolCriterion)
class DefensePoolCriterionAdmin(AuditedAdmin):
    list_display = ["code", "threshold", "local_default", "effective_from", "effective_to", "legal_basis"]
    list_filter = ["code", "local_default"]


@admin.register(m.DefensePoolMember)
class DefensePoolMemberAdmin(admin.ModelAdmin):
    """Read-only: admission and leaving check the criteria and keep ``Provider.criminal_pool`` in step, so they go
    through the office pages (刑事辩护律师库)."""

    list_display = ["provider", "admitted_on", "left_on", "admitted_by"]
    list_select_related = ["provider", "admitted_by"]
    search_fields = ["provider__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(m.Specialty, AuditedAdmin)
admin.site.register(m.Language, AuditedAdmin)
