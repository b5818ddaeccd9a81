from django.urls import path

from . import views

app_name = "criminal"
urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("new/", views.notice_new, name="notice_new"),
    path("grounds/", views.notice_grounds, name="grounds"),
    path("report/", views.notice_report, name="report"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/return/", views.trial_return, name="trial_return"),
    path("duty/", views.duty_list, name="duty_list"),
    path("<uuid:public_id>/", views.notice_detail, name="notice"),
    path("<uuid:public_id>/refusal/", views.notice_refusal, name="refusal"),
    path("<uuid:public_id>/duty-help/", views.duty_help, name="duty_help"),
]
