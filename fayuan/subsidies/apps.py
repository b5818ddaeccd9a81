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
        # cases does not import subsidies: the case page asks its registry of related records.
        from fayuan.cases.origins import register_case_related

        from .selectors import case_subsidy_link

        register_case_related(case_subsidy_link)
