from django.urls import path

from . import views_public

app_name = "privacy_public"
urlpatterns = [
    path("privacy/record/", views_public.notice, name="notice"),
    path("my/data/", views_public.my_data, name="my_data"),
]
