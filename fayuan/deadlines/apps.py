from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fayuan.deadlines"
    label = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from . import subscribers
        from .models import CalendarDay, CalendarYear, DeadlineRule

        watch(DeadlineRule, CalendarYear, CalendarDay)
        subscribers.register()
