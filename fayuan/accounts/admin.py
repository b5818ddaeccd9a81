"""Accounts in the system administrator's admin (三员分立).

The system administrator keeps accounts as records (name, contact, sign-in name) and may make new ones, which
start without a role: granting a role and its scope is the security administrator's duty (``/office/security/``),
and the security administrators and auditors are set up on the server only (``manage.py create_officer``). So
here the role, the scope links, ``is_staff``/``is_superuser``, groups and permissions are read-only; the password
and activation of an account that opens data are out of reach; the other officers' accounts are view-only. None
of this asks ``has_perm``, so a superuser flag changes nothing.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.services import masterdata_delete, masterdata_save

from .models import User
from .roles import BOOTSTRAP_ONLY_ROLES
from .rules import sysadmin_may_manage

# Permissions come from the role (accounts.backends.RoleBackend), never from groups: nothing to keep here.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# django-otp registers its devices in the admin, which would show the system administrator every TOTP secret and
# let them delete anyone's factor (the auditor's included). Second factors are the security administrator's, through
# ``twofactor.otp_reset`` only.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# django-axes lists every sign-in attempt with its username and address: security data, not master data. The
# lockout is decided in accounts.lockout and each sign-in event is in the audit log the auditor reads.
for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

ROLE_AND_SCOPE = ("role", "center", "station", "organ", "provider", "district")
ALWAYS_READ_ONLY = (*ROLE_AND_SCOPE, "is_staff", "is_superuser", "last_login", "date_joined")


def _managed(obj: Any) -> bool:
    return obj is None or sysadmin_may_manage(obj.role)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "center", "station", "is_active", "last_login"]
    list_filter = ["role", "center", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "first_name", "last_name", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
        ("角色与归属（由安全管理员授予）", {"fields": ROLE_AND_SCOPE}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("个人信息", {"fields": ("display_name",),
                      "description": "新账户没有角色，登录后什么也打不开；由安全管理员授予角色和范围。"}),
    )
    filter_horizontal = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        readonly = list(ALWAYS_READ_ONLY)
        # Deactivating an account that opens data only takes access away; turning it back on gives it back,
        # which is a grant (the security administrator's).
        if not _managed(obj) and not obj.is_active:
            readonly.append("is_active")
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.role in BOOTSTRAP_ONLY_ROLES:
            return False  # view-only: the security administrators and auditors are managed on the server
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (not _managed(obj) or obj.pk == request.user.pk):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        target = self.get_object(request, id)
        if target is not None and not _managed(target):
            # The password of an account that opens data (or of another officer) is not the system
            # administrator's to set: whoever knows it can read what the account reads.
            raise PermissionDenied("该账户的密码不能由系统管理员设置。")
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and target is not None:
                # Django's form set it; the audit chain records who set whose password (never the password).
                audit_record(actor=request.user, action=AuditAction.UPDATE, obj=target,
                             detail={"fields": ["password"], "via": "admin"})
        return response

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        masterdata_save(
            actor=request.user, obj=obj, changed_fields=[f for f in form.changed_data if "password" not in f],
            created=not change,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        masterdata_delete(actor=request.user, obj=obj)

