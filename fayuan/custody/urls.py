from django.urls import path

from . import views

app_name = "custody"
urlpatterns = [
    path("forwardings/", views.forwarding_list, name="forwardings"),
    path("forwardings/new/", views.forwarding_new, name="forwarding_new"),
    path("forwardings/<uuid:public_id>/", views.forwarding_detail, name="forwarding"),
    path("forwardings/<uuid:public_id>/forward/", views.forwarding_forward, name="forwarding_forward"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/new/", views.notification_new, name="notification_new"),
    path("notifications/<uuid:public_id>/", views.notification_detail, name="notification"),
    path("reports/", views.reports, name="reports"),
]
