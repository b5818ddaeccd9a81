from django.urls import path

from . import views

app_name = "lawyer_team"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("admit/", views.admit, name="admit"),
    path("members/<int:member_id>/", views.member, name="member"),
    path("members/<int:member_id>/leave/", views.leave, name="leave"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/record/", views.session_record, name="session_record"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
]
