from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "fayuan.places"
    label = "places"
    verbose_name = "村（社区）"

    def ready(self) -> None:
        from fayuan.core.rulecache import watch

        from .models import ReachTarget, TravelAssumption

        watch(ReachTarget, TravelAssumption)  # rule rows like any other: a change bumps the rule stamp
