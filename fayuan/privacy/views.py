"""Office pages of the privacy duties: the record of processing, a person's access report, a person's data export.
Reads through ``selectors``, the export through ``services``; every page about a person is audited."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import OFFICE_ROLES, Role
from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id, parse_page

from . import record, selectors, services


def json_download(data: object, filename: str) -> HttpResponse:
    """A JSON file to save, never cached (it holds decrypted personal data)."""
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@office_view(OFFICE_ROLES)
def processing_record(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/record.html", {"activities": record.activities(),
                                                   "years": record.archive_years()})


@office_view(selectors.REPORT_ROLES)
def access_report(request: HttpRequest, public_id: str) -> HttpResponse:
    user = office_user(request)
    person = selectors.person_for_privacy(user, public_id, roles=selectors.REPORT_ROLES)
    entries = selectors.access_report(user, person)
    page = Paginator(entries, 50).get_page(parse_page(request.GET.get("page")))
    # Reading who read the file is itself a read of the file's history: audited like any read of the person.
    audit_record(actor=user, action=AuditAction.READ, obj=person, detail={"view": "access_report"})
    return render(request, "privacy/access_report.html", {
        "person": person, "page": page, "show_name": user.role != Role.AUDITOR,
        "can_export": user.role in selectors.EXPORT_ROLES,
    })


@office_view({Role.AUDITOR})
@require_POST
def access_lookup(request: HttpRequest) -> HttpResponse:
    """The auditor reads ``people.person:<id>`` in the audit log: this opens that person's access report (the row id
    is posted, not put in a URL, and is no personal data either way)."""
    person = selectors.person_by_row_id(office_user(request), parse_id(request.POST.get("object_id")))
    return redirect("privacy:access", public_id=person.public_id)


@office_view(selectors.EXPORT_ROLES)
@require_POST
def person_export(request: HttpRequest, public_id: str) -> HttpResponse:
    data = services.person_data_export(actor=office_user(request), public_id=public_id)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return json_download(data, f"personal-data-{str(public_id)[:8]}-{stamp}.json")
