"""Office pages of the statistical report: the page with its period and scope pickers, and the XLSX/PDF export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.documents import XLSX_CONTENT_TYPE, download
from fayuan.core.errors import ValidationFailed
from fayuan.core.options import district_options
from fayuan.core.params import parse_id
from fayuan.core.replica import reports_reads

from . import report_documents, reports

READERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
FORMATS = ("xlsx", "pdf")


@office_view(READERS)
def report(request: HttpRequest) -> HttpResponse:
    """法律援助统计报表: a bad period is a form error (400); a district outside the user's scope a 404."""
    user = office_user(request)
    period = (request.GET.get("period") or f"{timezone.localdate():%Y-%m}").strip()[:20]
    district_id = parse_id(request.GET.get("district"))
    districts = reports.scope_choices(user)
    context: dict[str, object] = {"period_value": period, "districts": bool(districts),
                                  "district_options": district_options(districts, district_id),
                                  "district_id": district_id, "earliest_year": reports.EARLIEST_YEAR}
    try:
        with reports_reads():
            context["report"] = reports.report_for(user, period=period, district_id=district_id)
    except ValidationFailed as exc:
        return render(request, "stats/report.html", {**context, "error": exc.message}, status=400)
    return render(request, "stats/report.html", context)


@office_view(READERS)
def report_export(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    with reports_reads():
        scope = reports.report_scope(user, parse_id(request.GET.get("district")))
    fmt = request.GET.get("format", "")
    try:
        period = reports.parse_period(request.GET.get("period"))
        if fmt not in FORMATS:
            raise ValidationFailed("导出格式应为 xlsx 或 pdf。", field="format")
    except ValidationFailed as exc:
        return render(request, "errors/domain.html", {"message": exc.message}, status=400)
    with reports_reads():  # the replica when configured (REPLICA_DATABASE_URL)
        built = reports.build_report(scope, period)
    if fmt == "xlsx":
        return download(report_documents.report_xlsx(built), XLSX_CONTENT_TYPE,
                        report_documents.report_filename(built, "xlsx"))
    return download(report_documents.report_pdf(built), "application/pdf",
                    report_documents.report_filename(built, "pdf"))
