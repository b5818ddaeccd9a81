from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/actions/new/", views.action_new, name="action_new"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
]
