from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fayuan.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        # Each measure module appends its rebuild to ``measures.REBUILDERS`` when imported.
        from . import measures_consultations, measures_duty, measures_quality, measures_subsidies, subscribers  # noqa: F401
        from .models import Target

        watch(Target)  # the plan's targets are rule rows: a change bumps the rule stamp
        subscribers.register()
        measures_quality.register()
        measures_subsidies.register()
