from django.urls import path

from . import views, views_account, views_apply, views_my, views_quality

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("who/", views.who, name="who"),
    path("bring/", views.bring, name="bring"),
    path("hotline/", views.hotline, name="hotline"),
    path("stations/", views.stations, name="stations"),
    path("self-check/", views.self_check, name="self_check"),
    path("lawyers/", views.lawyers, name="lawyers"),
    path("lawyer-team/", views_quality.lawyer_team, name="lawyer_team"),
    path("privacy/", views.privacy, name="privacy"),
    path("typical-cases/", views.typical_cases, name="typical_cases"),
    path("typical-cases/<uuid:public_id>/", views.typical_case, name="typical_case"),
    path("mode/", views.mode, name="mode"),
    path("signin/", views_account.signin, name="signin"),
    path("signin/code/", views_account.signin_verify, name="signin_verify"),
    path("signout/", views_account.signout, name="signout"),
    path("apply/", views_apply.apply_start, name="apply"),
    path("apply/<slug:step>/", views_apply.apply_step, name="apply_step"),
    path("my/", views_my.my_home, name="my"),
    path("my/messages/", views_my.inbox, name="inbox"),
    path("my/cases/<uuid:public_id>/", views_my.case_detail, name="case"),
    path("my/cases/<uuid:public_id>/receipt/", views_my.receipt, name="receipt"),
    path("my/cases/<uuid:public_id>/choose/", views_my.choose, name="choose"),
    path("my/cases/<uuid:public_id>/object/", views_my.object_refusal, name="object"),
    path("my/cases/<uuid:public_id>/change-lawyer/", views_my.change_lawyer, name="change_lawyer"),
    path("my/cases/<uuid:public_id>/rate/", views_my.rate, name="rate"),
    path("my/cases/<uuid:public_id>/complain/", views_quality.complain, name="complain"),
]
