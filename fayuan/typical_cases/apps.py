from django.apps import AppConfig


class TypicalCasesConfig(AppConfig):
    name = "fayuan.typical_cases"
    label = "typical_cases"
    verbose_name = "典型案例库"
