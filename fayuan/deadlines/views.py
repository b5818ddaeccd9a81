"""The deadline queue: overdue, due today and upcoming, scoped by the selector to the user's center (the bureau
sees every center)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.capped import capped_count

from . import selectors

# Each section shows its most urgent rows and its total: a center at a million cases has thousands of overdue clocks
# (rendering them all took two seconds); the case queue's paginated tabs list every one. A page of the case queue's
# size (25): three full sections of 50 rows made this page the slowest staff list at national size (p95 61 ms).
SECTION_ROWS = 25


@office_view(selectors.QUEUE_ROLES)
def deadline_queue(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    on = timezone.localdate()
    queue = selectors.deadlines_for_user(user, on)
    sections = [
        ("overdue", "已逾期", queue.overdue, "danger"),
        ("due-today", "今日到期", queue.due_today, "warning"),
        ("upcoming", f"{selectors.UPCOMING_DAYS}日内到期", queue.upcoming, "secondary"),
    ]
    return render(request, "deadlines/queue.html", {
        "on": on,
        "sections": [
            {"key": key, "title": title, "tone": tone, "count": capped_count(qs),
             "rows": [(d, abs(d.days_to_due(on))) for d in qs[:SECTION_ROWS]]}
            for key, title, qs, tone in sections
        ],
        "section_rows": SECTION_ROWS,
        "show_center": user.role in selectors.ALL_CENTER_ROLES,
    })
