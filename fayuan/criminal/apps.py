from django.apps import AppConfig


class CriminalConfig(AppConfig):
    name = "fayuan.criminal"
    label = "criminal"
    verbose_name = "刑事法律援助"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from . import subscribers
        from .models import CoverageSwitch

        watch(CoverageSwitch)  # a rule row like any other: a change bumps the rule stamp
        subscribers.register()
        from fayuan.cases.origins import register_case_origin

        from .selectors import notice_links_for_case

        register_case_origin(notice_links_for_case)  # the case page links back to the record that opened the case
        from fayuan.cases.notice_basis import register_notice_explainer

        from .explain import notice_basis_for_case

        register_notice_explainer(notice_basis_for_case)  # the case page and the letters explain the notice's ground
