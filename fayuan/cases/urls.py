from django.urls import path

from . import views, views_actions, views_detail, views_new

app_name = "cases"
urlpatterns = [
    path("", views.case_queue, name="queue"),
    path("new/", views_new.case_new, name="new"),
    path("<uuid:public_id>/", views_detail.case_detail, name="detail"),
    path("<uuid:public_id>/files/<uuid:file_id>/", views.case_file, name="file"),
    *[path(f"<uuid:public_id>/{name.replace('_', '-')}/", view, name=name)
      for name, view in views_actions.ACTION_VIEWS.items()],
]
