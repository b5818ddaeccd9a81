from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "fayuan.eligibility"
    label = "eligibility"
    verbose_name = "受援条件"
