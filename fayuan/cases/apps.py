from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fayuan.cases"
    label = "cases"
    verbose_name = "案件"
