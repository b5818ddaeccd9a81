from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "fayuan.duty"
    label = "duty"
    verbose_name = "值班律师"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import AdmissionCriterion

        watch(AdmissionCriterion)  # a rule row like any other: a change bumps the rule stamp
        # cases does not import duty: it asks its registry of assignment vetoes, which duty joins here.
        from fayuan.cases.vetoes import register_assignment_veto

        from .codefendants import help_given_to_co_defendant

        register_assignment_veto(help_given_to_co_defendant)
        # criminal does not import duty (a sibling): its duty-routed notices arrive as events (criminal.dutylink).
        from .services import notices

        notices.register()
