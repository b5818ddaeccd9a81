from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fayuan.accounts.views import RoleLoginView
from fayuan.accounts.views_signin import otp_enrol, otp_verify
from fayuan.api.api import api
from fayuan.core.views import demo_seed_progress, healthz

# A lost database outside a view (a middleware's query) is a 503 too; any other failure is the usual 500.
handler500 = "fayuan.core.unavailable.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("demo-seed/", demo_seed_progress, name="demo_seed_progress"),  # make run's banner (core/demo_seed.py)
    path("accounts/login/", RoleLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", otp_verify, name="otp_verify"),
    path("accounts/otp/enrol/", otp_enrol, name="otp_enrol"),
    path("office/", include("fayuan.accounts.urls")),
    path("office/org/", include("fayuan.org.urls")),
    path("office/people/", include("fayuan.people.urls")),
    path("office/audit/", include("fayuan.accounts.urls_audit")),
    path("office/security/", include("fayuan.accounts.urls_security")),
    path("office/tasks/", include("fayuan.accounts.urls_tasks")),
    path("office/deadlines/", include("fayuan.deadlines.urls")),
    path("office/notifications/", include("fayuan.notifications.urls")),
    path("office/admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("office/cases/", include("fayuan.cases.urls")),
    path("office/cases/", include("fayuan.cases.urls_documents")),
    path("office/consultations/", include("fayuan.consultations.urls")),
    path("office/registry/", include("fayuan.registry.urls")),
    path("office/stats/", include("fayuan.stats.urls")),
    path("office/privacy/", include("fayuan.privacy.urls")),
    path("office/custody/", include("fayuan.custody.urls")),
    path("office/notices/", include("fayuan.criminal.urls")),
    path("office/duty/", include("fayuan.duty.urls")),
    path("office/meetings/", include("fayuan.meetings.urls")),
    path("office/typical-cases/", include("fayuan.typical_cases.urls")),
    path("office/bulletins/", include("fayuan.bulletins.urls")),
    path("office/subsidies/", include("fayuan.subsidies.urls")),
    path("office/quality/", include("fayuan.quality.urls")),
    path("office/complaints/", include("fayuan.complaints.urls")),
    path("office/lawyer-team/", include("fayuan.lawyer_team.urls")),
    path("office/outreach/", include("fayuan.outreach.urls")),
    path("office/reach/", include("fayuan.places.urls")),
    # Issue 13: prison stations (plan point 15), training (points 11, 18) and publicity (point 19).
    path("office/prison/", include("fayuan.prison_visits.urls")),
    path("office/training/", include("fayuan.training.urls")),
    path("office/publicity/", include("fayuan.publicity.urls")),
    path("", include("fayuan.privacy.urls_public")),  # the processing notice and an applicant's own data
    path("", include("fayuan.portal.urls")),  # the public site owns "/"
]
