from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("flags/", views.flags, name="flags"),
    path("<uuid:public_id>/", views.complaint_detail, name="detail"),
    path("<uuid:public_id>/notify-provider/", views.notify_provider, name="notify_provider"),
    path("<uuid:public_id>/respond/", views.respond, name="respond"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
    path("<uuid:public_id>/inform/", views.inform, name="inform"),
]
