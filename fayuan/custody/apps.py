from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "fayuan.custody"
    label = "custody"
    verbose_name = "羁押人员申请转交与权利告知"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
