from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "fayuan.intake"
    label = "intake"
    verbose_name = "受理"
