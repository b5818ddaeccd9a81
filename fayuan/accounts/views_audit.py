"""The auditor's screens: search the log, verify the chain. Reading the log is itself audited."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fayuan.core.audit import audit_record, audit_verification_latest, verify_chain
from fayuan.core.models import AuditAction, AuditEntry
from fayuan.core.params import parse_date, parse_page
from fayuan.core.services import audit_verification_start

from . import selectors
from .access import office_user, office_view
from .roles import AUDIT_READER_ROLES
from .views_tasks import POLL_SECONDS


@office_view(AUDIT_READER_ROLES)
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = AuditEntry.objects.order_by("-seq")
    username = request.GET.get("user", "").strip()
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    if username:
        qs = qs.filter(actor_username=username)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    page = Paginator(qs, 50).get_page(parse_page(request.GET.get("page")))
    # The auditor's reading is itself recorded: which filters, never the username searched for (personal data).
    search = bool(username or action or object_type)
    detail: dict[str, object] = {"search": search}
    if search:
        detail |= {"user_filter": bool(username), "action": action[:20], "object_type": object_type[:60]}
    audit_record(actor=request.user, action=AuditAction.READ, object_type="core.auditlog",
                 detail=detail | {"page": page.number})
    return render(
        request, "core/audit_list.html",
        {"page": page, "actions": AuditAction.choices, "filters": {"user": username, "action": action,
                                                                    "object_type": object_type},
         "last_verification": audit_verification_latest()},
    )


@office_view(AUDIT_READER_ROLES)
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    report = verify_chain()
    audit_record(actor=request.user, action=AuditAction.READ, object_type="core.auditchain",
                 detail={"verified": report.checked, "ok": report.ok})
    return render(request, "core/_verify_result.html", {"report": report})


@office_view(AUDIT_READER_ROLES)
@require_POST
def audit_verify_start(request: HttpRequest) -> HttpResponse:
    """A full check in the background (a long chain takes a while): answers with the progress panel to poll."""
    progress = audit_verification_start(actor=office_user(request))
    if getattr(request, "htmx", False):
        return render(request, "core/_task_progress.html", {"progress": progress, "poll_seconds": POLL_SECONDS})
    return redirect("tasks:progress", progress_id=progress.pk)


@office_view(AUDIT_READER_ROLES)
def grant_list(request: HttpRequest) -> HttpResponse:
    """Every role grant and revoke (三员分立: the security administrator's work, shown to the auditor)."""
    since = parse_date(request.GET.get("since"))
    until = parse_date(request.GET.get("until"))
    username = request.GET.get("user", "").strip()[:150]
    qs = selectors.grant_list(since=since, until=until, username=username)
    page = Paginator(qs, 50).get_page(parse_page(request.GET.get("page")))
    audit_record(actor=request.user, action=AuditAction.READ, object_type="accounts.rolegrant",
                 detail={"since": str(since or ""), "until": str(until or ""), "user_filter": bool(username),
                         "page": page.number})
    return render(request, "accounts/grant_list.html", {
        "page": page, "filters": {"since": since.isoformat() if since else "",
                                  "until": until.isoformat() if until else "", "user": username},
    })
