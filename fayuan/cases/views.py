"""Case screens: the work queue and the scoped download of materials. The case page is in ``views_detail``, the
action panels in ``views_actions`` (registry: ``views_panels``), the application form in ``views_new``.

Reads go through ``selectors`` (scoped; 404 outside scope), writes through ``services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.accounts.roles import CASE_READER_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.capped import CappedPaginator, capped_count
from fayuan.core.keyset import keyset_page
from fayuan.core.models import AuditAction
from fayuan.core.search import search_load, search_save
from fayuan.deadlines import selectors as deadline_selectors
from fayuan.deadlines.models import RUNNING, Deadline

from . import selectors
from .models import Case, Status
from .views_detail import STATUS_TONES
from .views_panels import PROVIDERS, next_steps, todo_statuses

PAGE_SIZE = 25
# Roles without a center-wide deadline queue see the deadlines of their own cases that are theirs to meet.
RESPONSIBLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.STATION_CLERK: ("station_clerk",),
    Role.PROVIDER: ("provider", "duty_lawyer"),
    Role.DUTY_LAWYER: ("provider", "duty_lawyer"),
}
TODO_LABELS: dict[str, str] = {Role.BUREAU_SUPERVISOR: "待审查异议"}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def todo_cases(user: User) -> QuerySet[Case]:
    """Cases waiting for this user's role (per the workflow table), the most urgent first: by the earliest open
    deadline (overdue ones lead; ``Case.next_due``, kept by the deadlines service), then the green channel, then the
    oldest. Providers: only cases they now hold."""
    qs = selectors.case_list_for_user(user).filter(status__in=todo_statuses(user.role))
    if user.role in PROVIDERS:
        qs = qs.filter(provider_id=user.provider_id or 0)
    return qs.order_by(F("next_due").asc(nulls_last=True), "-green_channel", "received_at", "id")


def open_deadlines(user: User) -> QuerySet[Deadline]:
    """Running deadlines in the user's sight: the center's (bureau: all), or those of their own cases. A paused one
    (awaiting the applicant's supplementary materials) is neither due nor overdue, as in the deadline queue."""
    if user.role in deadline_selectors.QUEUE_ROLES:
        qs = deadline_selectors.deadlines_visible_to(user)
    else:
        cases = selectors.cases_visible_to(user)
        if user.role in PROVIDERS:
            cases = cases.filter(provider_id=user.provider_id or 0)
        qs = Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Case), subject_id__in=cases.values("pk"),
            rule__responsible_role__in=RESPONSIBLE_ROLES.get(user.role, ()),
        )
    return qs.filter(RUNNING).select_related("rule", "center")


def _due(next_due: dt.date | None, today: dt.date) -> tuple[str, str]:
    if next_due is None:
        return "", ""
    if next_due < today:
        return f"逾期 {(today - next_due).days} 日", "danger"
    if next_due == today:
        return "今日到期", "warning"
    return f"{next_due:%m-%d} 到期", "light border"


def _deadline_rows(user: User, page: Any) -> list[dict[str, Any]]:
    """Each deadline with its case (one query for the page), when the case is in the user's sight."""
    case_type = ContentType.objects.get_for_model(Case)
    ids = [d.subject_id for d in page if d.subject_type_id == case_type.pk]
    cases = {c.pk: c for c in selectors.cases_visible_to(user).filter(pk__in=ids).select_related("applicant")}
    today = timezone.localdate()
    return [{"deadline": d, "case": cases.get(d.subject_id) if d.subject_type_id == case_type.pk else None,
             "days": (today - d.due_on).days} for d in page]


@office_view(CASE_READER_ROLES)
def case_queue(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    # The text search is POSTed (an applicant's name must not land in access logs) and kept in the session; the
    # list and its pages are GETs of ``?tab=all&s=<opaque key>``. A ``q`` in the URL is ignored.
    if request.method == "POST":
        criteria = {"q": request.POST.get("q", "").strip()[:60], "status": request.POST.get("status", "").strip()}
        query = f"tab=all&s={search_save(request, criteria)}"
        if not getattr(request, "htmx", None):
            return redirect(f"{reverse('cases:queue')}?{query}")
        request.GET = QueryDict(query)
    _token, criteria = search_load(request)
    tab = request.GET.get("tab", "todo")
    tab = tab if tab in ("todo", "today", "overdue", "all") else "todo"
    status = criteria.get("status", request.GET.get("status", "")).strip()  # a status is no personal data
    status = status if status in Status.values else ""
    q = criteria.get("q", "")

    todo = todo_cases(user)
    todo_count = capped_count(todo)
    deadlines = open_deadlines(user)
    due_today, overdue = deadlines.filter(due_on=today), deadlines.filter(due_on__lt=today)
    counts = {"today": capped_count(due_today), "overdue": capped_count(overdue)}
    tabs = [
        {"key": "todo", "label": TODO_LABELS.get(user.role, "我的待办"), "count": todo_count, "tone": "primary"},
        {"key": "today", "label": "今日到期", "count": counts["today"], "tone": "warning"},
        {"key": "overdue", "label": "已逾期", "count": counts["overdue"], "tone": "danger"},
        {"key": "all", "label": "全部案件", "count": None, "tone": "secondary"},
    ]
    context: dict[str, Any] = {"tab": tab, "tabs": tabs, "status": status, "q": q, "statuses": Status.choices,
                               "show_center": user.role == Role.BUREAU_SUPERVISOR, "today": today,
                               "can_receive": user.role in (Role.STATION_CLERK, Role.CENTER_REVIEWER,
                                                            Role.CENTER_DIRECTOR)}
    if tab in ("today", "overdue"):
        chosen = (due_today if tab == "today" else overdue).order_by("due_on", "id")
        deadline_paginator = CappedPaginator(chosen, PAGE_SIZE)
        deadline_paginator.count = counts[tab]  # type: ignore[misc]  # counted once for the tab already
        deadline_page = deadline_paginator.get_page(request.GET.get("page"))
        context.update(page=deadline_page, deadline_rows=_deadline_rows(user, deadline_page))
    else:
        if tab == "todo":
            paginator = CappedPaginator(todo, PAGE_SIZE)
            paginator.count = todo_count  # type: ignore[misc]  # counted once for the tab already
            case_page: Any = paginator.get_page(request.GET.get("page"))
        else:  # every case in sight, newest first: keyset pages, as deep as the list goes
            case_page = keyset_page(selectors.case_list_for_user(user, status=status, query=q),
                                    time_field="received_at", after=request.GET.get("after"),
                                    before=request.GET.get("before"), size=PAGE_SIZE)
        context.update(page=case_page, case_rows=[
            {"case": c, "tone": STATUS_TONES.get(c.status, "secondary"), "next": next_steps(c.status, user.role),
             "due": _due(c.next_due, today)}
            for c in case_page
        ])
    partial = getattr(request, "htmx", None) and request.htmx.target == "queue-results"  # type: ignore[attr-defined]
    response = render(request, "cases/_queue_results.html" if partial else "cases/queue.html", context)
    if request.method == "POST":
        response["HX-Push-Url"] = f"{reverse('cases:queue')}?{request.GET.urlencode()}"
    return response


@office_view(CASE_READER_ROLES)  # type: ignore[arg-type]  # a streamed file, not a plain HttpResponse
def case_file(request: HttpRequest, public_id: str, file_id: str) -> FileResponse:
    """One material of a case, as an attachment with a neutral name (the original may carry personal data)."""
    user = office_user(request)
    case = selectors.case_get_for_user(user, public_id, audit=False)
    record = case.files.filter(public_id=file_id).first()
    if record is None:
        raise Http404("未找到该材料，或您无权查看。")
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404("该材料的文件已不存在，请联系系统管理员。") from None
    audit_record(actor=user, action=AuditAction.EXPORT, obj=record, detail={"case": case.pk, "kind": record.kind})
    response = FileResponse(handle, content_type=record.content_type, as_attachment=True,
                            filename=f"material-{record.kind}.{EXTENSIONS.get(record.content_type, 'bin')}")
    response["Cache-Control"] = "no-store"
    return response
