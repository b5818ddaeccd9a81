from django.urls import path

from . import views
from .peer_review import views as peer

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
    # Annual inspection and peer review (同行评估).
    path("peer-review/", peer.index, name="peer_index"),
    path("peer-review/rounds/new/", peer.round_new, name="peer_round_new"),
    path("peer-review/rounds/<int:round_id>/", peer.round_detail, name="peer_round"),
    path("peer-review/rounds/<int:round_id>/assign/", peer.round_assign, name="peer_round_assign"),
    path("peer-review/samples/<int:sample_id>/", peer.sample_detail, name="peer_sample"),
    path("peer-review/samples/<int:sample_id>/assign/", peer.sample_assign, name="peer_sample_assign"),
    path("peer-review/samples/<int:sample_id>/score/", peer.score, name="peer_score"),
    path("peer-review/samples/<int:sample_id>/improvement/", peer.improvement, name="peer_improvement"),
    path("peer-review/samples/<int:sample_id>/improvement/done/", peer.improvement_done,
         name="peer_improvement_done"),
    path("peer-review/mine/", peer.mine, name="peer_mine"),
    path("peer-review/results/", peer.results, name="peer_results"),
    path("peer-review/results/cases/", peer.records, name="peer_records"),
]
