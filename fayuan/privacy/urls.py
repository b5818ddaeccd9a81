from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("record/", views.processing_record, name="record"),
    path("people/access/", views.access_lookup, name="access_lookup"),
    path("people/<uuid:public_id>/access/", views.access_report, name="access"),
    path("people/<uuid:public_id>/export/", views.person_export, name="export"),
]
