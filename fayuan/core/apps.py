from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fayuan.core"
    label = "core"
    verbose_name = "核心（审计与规则）"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from .uploads import sweep_after_request

        # Files stored by a request whose transaction rolled back are deleted when the request ends.
        request_finished.connect(sweep_after_request, dispatch_uid="fayuan.core.uploads.sweep")
