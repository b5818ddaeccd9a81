from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "fayuan.custody"
    label = "custody"
    verbose_name = "羁押人员申请转交与权利告知"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
        from fayuan.cases.origins import register_case_origin

        from .selectors import forwarding_links_for_case, notification_links_for_case

        register_case_origin(forwarding_links_for_case)  # the case page links back to the record that opened the case
        register_case_origin(notification_links_for_case)  # and to the rights notifications that preceded it
