from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fayuan.deadlines"
    label = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from . import subscribers

        subscribers.register()
