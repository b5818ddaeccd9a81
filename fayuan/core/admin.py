"""Admin plumbing: master-data edits in the admin go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .models import AuditVerification, TaskFailure, WorkerLease
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


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TaskFailure)
class TaskFailureAdmin(_ReadOnly):
    """Tasks that failed their last attempt: what to look into. Deleting a row acknowledges it."""

    list_display = ["failed_at", "task_path", "attempts", "error"]
    list_filter = ["task_path"]


@admin.register(AuditVerification)
class AuditVerificationAdmin(_ReadOnly):
    list_display = ["finished_at", "trigger", "checked", "ok", "broken_seq"]
    list_filter = ["ok", "trigger"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkerLease)
class WorkerLeaseAdmin(_ReadOnly):
    list_display = ["worker_id", "hostname", "pid", "started_at", "renewed_at"]
