from django.contrib import admin

from .models import CostLimit, PaymentTerm, QualityAdjustment, Tariff


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ("service", "procedure", "district", "amount", "unit", "effective_from", "effective_to",
                    "is_sample")
    list_filter = ("service", "is_sample")


@admin.register(CostLimit)
class CostLimitAdmin(admin.ModelAdmin):
    list_display = ("item", "cap", "effective_from", "effective_to", "is_sample")


@admin.register(QualityAdjustment)
class QualityAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("grade", "percent", "effective_from", "effective_to", "is_sample")


@admin.register(PaymentTerm)
class PaymentTermAdmin(admin.ModelAdmin):
    list_display = ("days", "effective_from", "effective_to")
