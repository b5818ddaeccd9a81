from django.urls import path

from . import views_tasks as task_views

app_name = "tasks"
urlpatterns = [
    path("<uuid:progress_id>/", task_views.task_progress, name="progress"),
    path("<uuid:progress_id>/cancel/", task_views.task_cancel, name="cancel"),
]
