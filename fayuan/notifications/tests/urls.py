"""The project's URLs plus this app's, mounted where config/urls.py will mount them (tests only, until the
include() lines are added there)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *[p for p in project_urlpatterns if getattr(p, "pattern", None) and str(p.pattern) not in
      {"office/deadlines/", "office/notifications/"}],
    path("office/deadlines/", include("fayuan.deadlines.urls")),
    path("office/notifications/", include("fayuan.notifications.urls")),
]
