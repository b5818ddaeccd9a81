from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from fayuan.accounts.views import RoleLoginView, me
from fayuan.api.api import api
from fayuan.core.views import healthz

urlpatterns = [
    # The public site (a later issue) will own "/"; until then it leads to sign-in.
    path("", RedirectView.as_view(url="/accounts/login/", permanent=False), name="root"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", RoleLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", me, name="me"),
    path("office/", include("fayuan.accounts.urls")),
    path("office/org/", include("fayuan.org.urls")),
    path("office/people/", include("fayuan.people.urls")),
    path("office/audit/", include("fayuan.core.urls")),
    path("office/deadlines/", include("fayuan.deadlines.urls")),
    path("office/notifications/", include("fayuan.notifications.urls")),
    path("office/admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/cases/", include("fayuan.cases.urls")),
    path("office/cases/", include("fayuan.cases.urls_documents")),
    path("office/consultations/", include("fayuan.intake.urls")),
]
