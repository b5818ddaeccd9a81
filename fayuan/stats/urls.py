from django.urls import path

from . import views, views_reports

app_name = "stats"

urlpatterns = [
    path("assignment-spread/", views.assignment_spread, name="assignment_spread"),
    path("criminal/", views.criminal_dashboard, name="criminal"),
    path("reports/", views_reports.report, name="report"),
    path("reports/export/", views_reports.report_export, name="report_export"),
]
