"""Contact cards (issue a batch for a place, its page, its PDF sheet: printing and reprinting are recorded) and
the needs report by district and topic (page and CSV)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.audit import audit_record
from fayuan.core.documents import CSV_CONTENT_TYPE, csv_bytes, download
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_date

from . import selectors, services
from .cards import HOTLINE, SERVICES, card_sheet_pdf
from .forms import CardIssueForm
from .selectors import OUTREACH_READERS, OUTREACH_WRITERS, NeedsReport


@office_view(OUTREACH_READERS)
def cards(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    can_write = user.role in OUTREACH_WRITERS
    form = CardIssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    set_choices(form.fields["place"], [("", "请选择")] + [
        (str(p.pk), f"{p.district.name} {p.town}{p.name}") for p in
        selectors.places_visible_to(user).order_by("district__sort_order", "town", "code")])
    if request.method == "POST":
        if not can_write:
            raise Http404("未找到该页面。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                batch = services.card_batch_issue(actor=user, place_id=d["place"], kind=d["kind"],
                                                  issued_on=d["issued_on"])
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已登记发放，请打印联系卡。")
                return redirect("outreach:card_batch", batch.public_id)
    rows = selectors.batches_visible_to(user)[:200]
    return render(request, "outreach/cards.html", {"rows": rows, "form": form, "can_write": can_write})


@office_view(OUTREACH_READERS)
def card_batch(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    user = office_user(request)
    batch = selectors.batch_get_for_user(user, batch_id)
    return render(request, "outreach/card_batch.html", {
        "b": batch, "cards": batch.cards.select_related("household").order_by("pk"), "hotline": HOTLINE,
        "services": SERVICES})


@office_view(OUTREACH_READERS)
def card_pdf(request: HttpRequest, batch_id: uuid.UUID) -> HttpResponse:
    user = office_user(request)
    batch = selectors.batch_get_for_user(user, batch_id)
    services.card_batch_printed(actor=user, batch=batch)
    return download(card_sheet_pdf(batch), "application/pdf", f"contact-cards-{batch.place.code}-{batch.pk}.pdf")


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    until = parse_date(request.GET.get("until"), default=today) or today
    since = parse_date(request.GET.get("since"), default=until - dt.timedelta(days=364)) or until
    return (since, until) if since <= until else (until, since)


@office_view(OUTREACH_READERS)
def needs(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    since, until = _period(request)
    report = selectors.needs_report(user, since=since, until=until)
    return render(request, "outreach/needs.html", {"r": report})


def report_csv(report: NeedsReport) -> bytes:
    """The table as CSV (opens in Excel and WPS alike)."""
    return csv_bytes([
        [f"困难群众法律需求统计（走访日期 {report.since:%Y-%m-%d} 至 {report.until:%Y-%m-%d}）"],
        ["行政区", *[t.name for t in report.topics], "合计", "走访户数", "立早期介入任务"],
        *[[name, *cells, total, households, tasks] for name, cells, total, households, tasks in report.rows],
        ["合计", *report.totals, report.total, sum(r[3] for r in report.rows), sum(r[4] for r in report.rows)],
    ])


@office_view(OUTREACH_READERS)
def needs_csv(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    since, until = _period(request)
    report = selectors.needs_report(user, since=since, until=until)
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="outreach.needs_report",
                 detail={"since": since.isoformat(), "until": until.isoformat()})
    return download(report_csv(report), CSV_CONTENT_TYPE, f"outreach-needs-{since:%Y%m%d}-{until:%Y%m%d}.csv")
