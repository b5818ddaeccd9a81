from django.apps import AppConfig


class CriminalConfig(AppConfig):
    name = "fayuan.criminal"
    label = "criminal"
    verbose_name = "刑事法律援助"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
