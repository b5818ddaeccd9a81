from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "fayuan.eligibility"
    label = "eligibility"
    verbose_name = "受援条件"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from . import models

        watch(models.Matter, models.CriminalGround, models.ExemptionGroup, models.FactRule, models.GreenChannelRule,
              models.AgeRule, models.OpenScopeGroup, models.MeansStandard)
