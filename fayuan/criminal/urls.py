from django.urls import path

from . import views

app_name = "criminal"
urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("new/", views.notice_new, name="notice_new"),
    path("grounds/", views.notice_grounds, name="grounds"),
    path("report/", views.notice_report, name="report"),
    path("<uuid:public_id>/", views.notice_detail, name="notice"),
    path("<uuid:public_id>/refusal/", views.notice_refusal, name="refusal"),
]
