from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.overview, name="reach"),
    path("map/", views.reach_map, name="map"),
    path("list/", views.place_list, name="list"),
]
