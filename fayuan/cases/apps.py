from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fayuan.cases"
    label = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
