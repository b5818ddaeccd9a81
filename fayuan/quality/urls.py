from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("grading/", views.grading_list, name="grading_list"),
    path("gaps/", views.gaps, name="gaps"),
    path("hearings/", views.hearings, name="hearings"),
    path("followups/", views.followups, name="followups"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("mine/", views.mine, name="mine"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path("cases/<uuid:public_id>/grading/", views.grading_confirm, name="grading_confirm"),
    path("cases/<uuid:public_id>/discussion/", views.discussion_new, name="discussion_new"),
    path("cases/<uuid:public_id>/stage/", views.stage_new, name="stage_new"),
    path("cases/<uuid:public_id>/evaluation/", views.evaluation, name="evaluation"),
    path("cases/<uuid:public_id>/attendance/", views.attendance_new, name="attendance_new"),
    path("attendances/<int:attendance_id>/", views.attendance_record, name="attendance_record"),
    path("followups/<int:visit_id>/", views.followup_record, name="followup_record"),
]
