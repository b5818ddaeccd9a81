from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fayuan.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import DefensePoolCriterion, District, MinimumWage

        watch(District, MinimumWage, DefensePoolCriterion)
