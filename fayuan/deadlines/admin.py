"""The holiday calendar and the deadline rules are data the bureau keeps current (through the system administrator,
who alone uses the admin). Every change, inline days included, is audited; saving a year recomputes the deadlines
that were provisional for want of its schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fayuan.core.admin import AuditedAdmin
from fayuan.core.services import masterdata_delete, masterdata_save

from . import models as m
from .services import deadline_recompute_provisional


class CalendarDayInline(admin.TabularInline):
    model = m.CalendarDay
    extra = 0
    fields = ["date", "is_workday", "name"]


@admin.register(m.CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "complete", "source"]
    list_filter = ["complete"]
    inlines = [CalendarDayInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            masterdata_delete(actor=request.user, obj=obj)
        changed = {f.instance.pk: f.changed_data for f in formset.forms if f.instance.pk}
        for obj in instances:
            created = obj.pk is None
            masterdata_save(actor=request.user, obj=obj, changed_fields=changed.get(obj.pk, []), created=created)
        formset.save_m2m()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        deadline_recompute_provisional(actor=request.user)


@admin.register(m.DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
    list_display = ["code", "name", "track", "start_event", "length", "day_kind", "custody", "pause_events",
                    "effective_from", "effective_to", "basis_status"]
    list_filter = ["track", "day_kind", "custody", "basis_status"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(m.Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines change only through the services (start, stop, cancel)."""

    list_display = ["short_reference", "rule", "center", "started_on", "due_on", "due_at", "paused_at", "provisional",
                    "met_at", "cancelled_at"]
    list_filter = ["center", "provisional"]
    list_select_related = ["rule", "center", "subject_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
