from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fayuan.stats"
    label = "stats"
    verbose_name = "统计"
