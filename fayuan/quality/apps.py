from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "fayuan.quality"
    label = "quality"
    verbose_name = "质量管理"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from . import subscribers
        from .models import CombinationRule, FollowUpRule, GradingCriterion, Rubric, RubricItem

        for model in (GradingCriterion, Rubric, RubricItem, CombinationRule, FollowUpRule):
            watch(model)  # rule rows like any other: a change bumps the rule stamp
        subscribers.register()
        # cases does not import quality: it asks its registry of closing checks, which quality joins here.
        from fayuan.cases.closing_checks import register_closing_check

        from .services import discussion_missing

        register_closing_check(discussion_missing)
        from fayuan.cases.origins import register_case_related

        from .selectors import case_quality_link

        register_case_related(case_quality_link)
