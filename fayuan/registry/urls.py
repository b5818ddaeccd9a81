from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("batches/<uuid:public_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:public_id>/errors.csv", views.batch_errors_csv, name="errors_csv"),
    path("batches/<uuid:public_id>/errors.xlsx", views.batch_errors_xlsx, name="errors_xlsx"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:code>/edit/", views.source_edit, name="source_edit"),
    path("query/", views.query, name="query"),
]
