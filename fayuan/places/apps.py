from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "fayuan.places"
    label = "places"
    verbose_name = "村（社区）"
