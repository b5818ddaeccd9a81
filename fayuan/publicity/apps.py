from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "fayuan.publicity"
    label = "publicity"
    verbose_name = "法律援助宣传"
