from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("districts/", views.district_list, name="districts"),
    path("centers/", views.center_list, name="centers"),
    path("stations/", views.station_list, name="stations"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("staff/", views.staff_list, name="staff"),
]
