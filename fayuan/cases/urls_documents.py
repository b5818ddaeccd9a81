"""Official documents of a case, mounted under ``office/cases/``."""

from django.urls import path

from . import views_documents

app_name = "case_documents"

urlpatterns = [
    path("<uuid:public_id>/documents/<int:document_id>/", views_documents.document_download, name="document"),
]
