from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/issue/", views.issue, name="issue"),
    path("<uuid:public_id>/bulletin.pdf", views.download_pdf, name="pdf"),
    path("<uuid:public_id>/bulletin.docx", views.download_docx, name="docx"),
]
