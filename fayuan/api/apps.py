from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fayuan.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check of the shared cache)
