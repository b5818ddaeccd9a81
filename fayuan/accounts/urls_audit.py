from django.urls import path

from . import views_audit as audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_list, name="list"),
    path("grants/", audit_views.grant_list, name="grants"),
    path("verify/", audit_views.audit_verify, name="verify"),
    path("verify/background/", audit_views.audit_verify_start, name="verify_start"),
]
