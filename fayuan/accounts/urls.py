from django.urls import path

from . import views, views_signin

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/password/", views_signin.password_change, name="password_change"),
    path("security/otp/", views_signin.otp_accounts, name="otp_accounts"),
    path("security/otp/<str:user_id>/reset/", views_signin.otp_reset, name="otp_reset"),
]
