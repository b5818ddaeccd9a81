from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from fayuan.core.services import masterdata_delete, masterdata_save

from .models import User

# django-otp registers its devices in the admin, which would show the system administrator every TOTP secret and
# let them delete anyone's factor (the auditor's included). Second factors are the security administrator's, through
# ``twofactor.otp_reset`` only.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "center", "station", "is_active", "last_login"]
    list_filter = ["role", "center", "is_active"]
    search_fields = ["username", "display_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("角色与归属", {"fields": ("role", "display_name", "center", "station", "provider")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色与归属", {"fields": ("role", "display_name", "center", "station", "provider")}),
    )
    autocomplete_fields = ["provider"]

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        masterdata_save(
            actor=request.user, obj=obj, changed_fields=[f for f in form.changed_data if "password" not in f],
            created=not change,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        masterdata_delete(actor=request.user, obj=obj)
