from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fayuan.core"
    label = "core"
    verbose_name = "核心（审计与规则）"
