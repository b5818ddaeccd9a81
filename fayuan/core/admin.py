"""Admin plumbing: master-data edits in the admin go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .services import masterdata_delete, masterdata_save


class AuditedAdmin(admin.ModelAdmin):
    """Writes from the admin are audited like any other write; bulk deletes go one by one for the same reason."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        masterdata_save(actor=request.user, obj=obj, changed_fields=form.changed_data, created=not change)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        masterdata_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            masterdata_delete(actor=request.user, obj=obj)
