"""The registry's office pages: sources and their mappings, upload and batches (counts, error report, progress),
and the audited query of one person. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.documents import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, download, xlsx_bytes
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.eligibility.engine import GROUP_NAMES

from . import selectors, services
from .forms import QueryForm, SourceForm, UploadForm
from .models import RegistryRowError
from .rows import FIELD_NAMES
from .selectors import REGISTRY_MANAGERS, REGISTRY_QUERY_ROLES

LIST_LIMIT = 100
ERRORS_SHOWN = 200


@office_view(REGISTRY_MANAGERS)
def batch_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    sources = list(selectors.sources_for_user(user))
    form = UploadForm(request.POST or None, request.FILES or None)
    set_choices(form.fields["source"], [(s.code, str(s)) for s in sources])
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.registry_import_start(actor=user, source_code=form.cleaned_data["source"],
                                                   upload=upload, name=upload.name)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "文件已上传，正在后台导入：可在本页查看进度或取消。")
            return redirect("tasks:progress", batch.progress_id)
    batches = list(selectors.batches_for_user(user)[:LIST_LIMIT])
    return render(request, "registry/batches.html", {"form": form, "batches": batches})


@office_view(REGISTRY_MANAGERS)
def batch_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    batch = selectors.batch_get_for_user(office_user(request), public_id)
    errors = list(batch.row_errors.all()[:ERRORS_SHOWN])
    return render(request, "registry/batch.html", {
        "batch": batch, "errors": errors, "error_count": batch.row_errors.count(),
        "own_task": batch.progress_id and batch.uploaded_by_id == request.user.pk})


def _error_rows(public_id: str, request: HttpRequest) -> tuple[str, list[tuple[int, str, str]]]:
    batch = selectors.batch_get_for_user(office_user(request), public_id)
    rows = list(RegistryRowError.objects.filter(batch=batch).order_by("row", "pk")
                .values_list("row", "column", "reason"))
    return f"registry-errors-{timezone.localdate():%Y%m%d}", rows


HEADER = ("行号", "列", "原因")


@office_view(REGISTRY_MANAGERS)
def batch_errors_csv(request: HttpRequest, public_id: str) -> HttpResponse:
    name, rows = _error_rows(public_id, request)
    return download(csv_bytes([HEADER, *rows]), CSV_CONTENT_TYPE, f"{name}.csv")


@office_view(REGISTRY_MANAGERS)
def batch_errors_xlsx(request: HttpRequest, public_id: str) -> HttpResponse:
    name, rows = _error_rows(public_id, request)
    return download(xlsx_bytes("错误行", [HEADER, *rows]), XLSX_CONTENT_TYPE, f"{name}.xlsx")


@office_view(REGISTRY_MANAGERS)
def source_list(request: HttpRequest) -> HttpResponse:
    sources = list(selectors.sources_for_user(office_user(request)))
    return render(request, "registry/sources.html", {
        "sources": [(s, [(FIELD_NAMES[f], h) for f, h in s.column_map.items() if f in FIELD_NAMES],
                     [(k, GROUP_NAMES.get(v, v)) for k, v in s.category_map.items()]) for s in sources],
        "default_names": GROUP_NAMES})


@office_view(REGISTRY_MANAGERS)
def source_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = office_user(request)
    source = selectors.source_get_for_user(user, code)
    form = SourceForm(request.POST or None, initial={
        "column_map": json.dumps(source.column_map, ensure_ascii=False, indent=1),
        "category_map": json.dumps(source.category_map, ensure_ascii=False, indent=1),
        "default_category": source.default_category, "date_formats": ",".join(source.date_formats)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.registry_source_update(actor=user, code=source.code, column_map=d["column_map"],
                                            category_map=d["category_map"],
                                            default_category=d["default_category"] or "",
                                            date_formats=d["date_formats"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已保存“{source}”的列对应关系。")
            return redirect("registry:sources")
    return render(request, "registry/source_edit.html", {"source": source, "form": form, "fields": FIELD_NAMES})


@office_view(REGISTRY_QUERY_ROLES)
def query(request: HttpRequest) -> HttpResponse:
    """The number is POSTed (never in a URL); each query is audited with its purpose."""
    form = QueryForm(request.POST or None)
    records = None
    if request.method == "POST" and form.is_valid():
        try:
            records = services.registry_query(actor=office_user(request), id_number=form.cleaned_data["id_number"],
                                              purpose=form.cleaned_data["purpose"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:  # the page shows the masked number only: the full one is not echoed back into the form
            form = QueryForm(initial={"purpose": form.cleaned_data["purpose"]})
    today = timezone.localdate()
    rows = None if records is None else [
        (r, GROUP_NAMES.get(r.category, r.category),
         (r.valid_from is None or r.valid_from <= today) and (r.valid_to is None or r.valid_to >= today))
        for r in records]
    return render(request, "registry/query.html", {"form": form, "rows": rows})
