from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fayuan.portal"
    label = "portal"
    verbose_name = "公众服务网站"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
