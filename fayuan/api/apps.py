from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fayuan.api"
    label = "api"
    verbose_name = "接口"
