from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from fayuan.accounts.forms import LoginForm
from fayuan.core.views import healthz

urlpatterns = [
    # The public site (a later issue) will own "/"; until then it leads to sign-in.
    path("", RedirectView.as_view(url="/accounts/login/", permanent=False), name="root"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("office/", include("fayuan.accounts.urls")),
    path("office/org/", include("fayuan.org.urls")),
    path("office/people/", include("fayuan.people.urls")),
    path("office/audit/", include("fayuan.core.urls")),
    path("office/admin/", admin.site.urls),
]
