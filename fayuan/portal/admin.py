from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from . import models as m


class _ReadOnly(admin.ModelAdmin):
    """Records written by the applicants themselves: visible to the administrator, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(m.Rating)
class RatingAdmin(_ReadOnly):
    list_display = ["case", "stage", "score", "provider", "created_at"]
    list_filter = ["stage", "score"]


@admin.register(m.Consent)
class ConsentAdmin(_ReadOnly):
    list_display = ["account", "purpose", "text_version", "subject", "agreed_at"]
    list_filter = ["purpose", "text_version"]
