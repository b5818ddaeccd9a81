from django.urls import path

from . import views, views_dashboard, views_reports

app_name = "stats"

urlpatterns = [
    path("assignment-spread/", views.assignment_spread, name="assignment_spread"),
    path("criminal/", views.criminal_dashboard, name="criminal"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", views_dashboard.dashboard_export_xlsx, name="dashboard_export"),
    path("dashboard/summary/", views_dashboard.dashboard_summary, name="dashboard_summary"),
    path("records/", views_dashboard.records_behind, name="records"),
    path("reports/", views_reports.report, name="report"),
    path("reports/export/", views_reports.report_export, name="report_export"),
]
