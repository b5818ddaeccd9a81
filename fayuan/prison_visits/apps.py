from django.apps import AppConfig


class PrisonVisitsConfig(AppConfig):
    name = "fayuan.prison_visits"
    label = "prison_visits"
    verbose_name = "监狱法律援助工作站"
