from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fayuan.people"
    label = "people"
    verbose_name = "人员"
