from django.urls import path

from . import views_security as views

app_name = "security"
urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:user_id>/", views.account_detail, name="account"),
    path("accounts/<int:user_id>/grant/", views.account_grant, name="grant"),
    path("accounts/<int:user_id>/revoke/", views.account_revoke, name="revoke"),
]
