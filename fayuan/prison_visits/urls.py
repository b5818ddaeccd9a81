from django.urls import path

from . import views

app_name = "prison_visits"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:station_id>/", views.station, name="station"),
    path("<int:station_id>/rooms/new/", views.room_new, name="room_new"),
    path("<int:station_id>/book/", views.book, name="book"),
    path("<int:station_id>/lectures/", views.lectures, name="lectures"),
    path("appointments/<int:appointment_id>/", views.appointment, name="appointment"),
    path("appointments/<int:appointment_id>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:appointment_id>/outcome/", views.outcome, name="outcome"),
]
