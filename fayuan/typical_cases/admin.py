from django.contrib import admin

from .models import ExcellenceCriterion, MonthlyQuota


@admin.register(MonthlyQuota)
class MonthlyQuotaAdmin(admin.ModelAdmin):
    list_display = ("minimum", "maximum", "remind_from_day", "effective_from", "effective_to", "legal_basis")


@admin.register(ExcellenceCriterion)
class ExcellenceCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "max_points", "position", "effective_from", "effective_to", "basis_status")
