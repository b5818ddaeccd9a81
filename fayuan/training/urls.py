from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("hours/", views.hours, name="hours"),
    path("hours.csv", views.hours_csv, name="hours_csv"),
    path("<int:session_id>/", views.session_detail, name="detail"),
    path("<int:session_id>/attendance/", views.attendance, name="attendance"),
]
