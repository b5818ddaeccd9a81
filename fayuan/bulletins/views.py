"""Pages of the quality bulletins under /office/bulletins/: the list (and a new draft), a bulletin with its
figures (the writer edits a draft's text there and issues it), the PDF and DOCX. Reads through ``selectors``,
writes through ``services``; a bulletin outside the user's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.core.actions import posted_action
from fayuan.core.documents import DOCX_CONTENT_TYPE, download
from fayuan.core.errors import DomainError, NotFoundOrForbidden

from . import documents, selectors, services
from .forms import DraftForm, IssueForm, TextForm
from .selectors import BULLETIN_ROLES

LIST_LIMIT = 200


def _may_draft(user: Any) -> bool:
    try:
        selectors.writable_center_id(user)
    except NotFoundOrForbidden:
        return False
    return True


@office_view(BULLETIN_ROLES)
def bulletin_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    form = DraftForm(initial={"kind": "monthly", "month": last_month, "year": today.year - 1})
    return render(request, "bulletins/list.html", {
        "items": selectors.bulletins_visible_to(user)[:LIST_LIMIT], "form": form, "can_draft": _may_draft(user)})


@office_view(BULLETIN_ROLES)
def draft_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    if not _may_draft(user):
        raise Http404("质量通报由市司法局或法律援助中心编写。")
    if request.method != "POST":
        return redirect("bulletins:list")
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            bulletin = services.bulletin_draft(actor=user, kind=form.cleaned_data["kind"],
                                               period_start=form.cleaned_data["period_start"])
        except DomainError as exc:
            messages.error(request, f"未生成：{exc.message}")
        else:
            messages.success(request, "已生成通报草稿，问题与做法已按数据预填，请核实修改后印发。")
            return redirect("bulletins:detail", bulletin.public_id)
    else:
        messages.error(request, "未生成：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("bulletins:list")


@office_view(BULLETIN_ROLES)
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    bulletin = selectors.bulletin_get_for_user(user, public_id)
    can_edit = not bulletin.issued and selectors.may_write(user, bulletin)
    form = TextForm(request.POST or None, initial={"problems": bulletin.problems,
                                                   "good_practice": bulletin.good_practice})
    if request.method == "POST":
        if not can_edit:
            messages.error(request, "未保存：通报已印发，或您不是编写单位。")
            return redirect("bulletins:detail", bulletin.public_id)
        if form.is_valid():
            try:
                services.bulletin_update(actor=user, public_id=bulletin.public_id, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已保存。")
                return redirect("bulletins:detail", bulletin.public_id)
    return render(request, "bulletins/detail.html", {
        "b": bulletin, "form": form, "can_edit": can_edit, **documents.build_context(bulletin),
        "center_rows": [documents.center_row(c) for c in documents.current_figures(bulletin).get("centers", [])]})


@office_view(BULLETIN_ROLES)
def issue(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    bulletin = selectors.bulletin_get_for_user(user, public_id)
    if not selectors.may_write(user, bulletin):
        raise Http404("只有通报的编写单位可以印发它。")

    def perform(data: dict[str, Any]) -> str:
        done = services.bulletin_issue(actor=user, public_id=bulletin.public_id)
        return f"已印发，文号 {done.number}。"

    return posted_action(request, IssueForm, back=reverse("bulletins:detail", args=[bulletin.public_id]),
                         invalid="未印发。", perform=perform, refused_prefix="未印发：")


def _filename(bulletin: Any, ext: str) -> str:
    scope = f"center{bulletin.center_id}" if bulletin.center_id else "city"
    return f"bulletin-{scope}-{bulletin.kind}-{bulletin.period_start:%Y-%m}.{ext}"


@office_view(BULLETIN_ROLES)
def download_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    bulletin = selectors.bulletin_get_for_user(office_user(request), public_id)
    return download(documents.bulletin_pdf(bulletin), "application/pdf", _filename(bulletin, "pdf"))


@office_view(BULLETIN_ROLES)
def download_docx(request: HttpRequest, public_id: Any) -> HttpResponse:
    bulletin = selectors.bulletin_get_for_user(office_user(request), public_id)
    return download(documents.bulletin_docx(bulletin), DOCX_CONTENT_TYPE, _filename(bulletin, "docx"))
