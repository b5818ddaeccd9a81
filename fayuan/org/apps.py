from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fayuan.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import Center, DefensePoolCriterion, District, MinimumWage

        # Centers and districts are master data that change a few times a year, read by every dashboard (a country
        # has 3,000 of each): a change bumps the rule stamp like a rule row's.
        watch(District, Center, MinimumWage, DefensePoolCriterion)
