from django.apps import AppConfig


class TypicalCasesConfig(AppConfig):
    name = "fayuan.typical_cases"
    label = "typical_cases"
    verbose_name = "典型案例库"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import ExcellenceCriterion, MonthlyQuota

        watch(MonthlyQuota, ExcellenceCriterion)  # rule rows like any other: a change bumps the rule stamp
