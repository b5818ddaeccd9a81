from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("assignment-spread/", views.assignment_spread, name="assignment_spread"),
    path("criminal/", views.criminal_dashboard, name="criminal"),
]
