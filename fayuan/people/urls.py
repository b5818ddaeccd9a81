from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("find/", views.person_find, name="find"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:public_id>/reveal/", views.person_reveal, name="reveal"),
]
