"""The progress page of a long background task, and its cancel button. Only the user who started the task sees
it: anyone else gets 404, like for a task that does not exist."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fayuan.core.models import TaskProgress
from fayuan.core.progress import task_progress_cancel, task_progress_get_for_user

from .access import office_user, office_view
from .roles import OFFICE_ROLES

POLL_SECONDS = 1


def _render(request: HttpRequest, row: TaskProgress) -> HttpResponse:
    template = "core/_task_progress.html" if getattr(request, "htmx", False) else "core/task_progress.html"
    return render(request, template, {"progress": row, "poll_seconds": POLL_SECONDS})


@never_cache
@office_view(OFFICE_ROLES)
@require_GET
def task_progress(request: HttpRequest, progress_id: uuid.UUID) -> HttpResponse:
    """The page, or (for htmx, every second until the task ends) the progress panel alone."""
    return _render(request, task_progress_get_for_user(office_user(request), progress_id))


@office_view(OFFICE_ROLES)
@require_POST
def task_cancel(request: HttpRequest, progress_id: uuid.UUID) -> HttpResponse:
    row = task_progress_cancel(actor=office_user(request), progress_id=progress_id)
    if getattr(request, "htmx", False):
        return _render(request, row)
    return redirect("tasks:progress", progress_id=row.pk)
