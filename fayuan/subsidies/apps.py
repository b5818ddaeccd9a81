from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "fayuan.subsidies"
    label = "subsidies"
    verbose_name = "办案补贴"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from . import subscribers
        from .models import CostLimit, PaymentTerm, QualityAdjustment, Tariff

        watch(Tariff, CostLimit, QualityAdjustment, PaymentTerm)  # rule rows: a change bumps the rule stamp
        subscribers.register()
