from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "fayuan.training"
    label = "training"
    verbose_name = "业务培训"
