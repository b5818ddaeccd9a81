"""The subsidies' pages: the tariff (the whole office), subsidies (the center approves, the provider reads their own
with the line-by-line explanation and enters the claim on their case), payment batches (the center makes, exports,
submits and records payment; the bureau reads) and budgets with the funding report. Reads through ``selectors``,
writes through ``services``; a record outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, PROVIDER_ROLES, Role
from fayuan.cases.selectors import case_get_for_user
from fayuan.core.actions import posted_action
from fayuan.core.audit import audit_record
from fayuan.core.documents import XLSX_CONTENT_TYPE, download
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.core.models import AuditAction

from . import exports, rules, selectors, services
from .forms import COST_ROWS, BatchForm, BudgetForm, ClaimForm, PaidForm
from .models import BatchStatus, Claim, CostLimit, PaymentTerm, QualityAdjustment, Status, Tariff
from .selectors import CENTER_OR_BUREAU, SUBSIDY_READERS, TARIFF_READERS, is_city_bureau

LIST_LIMIT = 200
FUNDING_PAGE_SIZE = 25  # centers a page on the funding page
TIMELINESS_SHOWN = 30  # centers in the subsidy list's timeliness table (a city's handful all fit)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2018 <= int(raw) <= today.year else today.year


@office_view(TARIFF_READERS)
def tariff(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "subsidies/tariff.html", {
        "today": today,
        "rates": Tariff.objects.in_force_on(today).select_related("district"),
        "limits": CostLimit.objects.in_force_on(today),
        "adjustments": QualityAdjustment.objects.in_force_on(today),
        "term": PaymentTerm.objects.in_force_on(today).order_by("-effective_from").first(),
        "grades": rules.LABELS})


@office_view(SUBSIDY_READERS)
def subsidy_list(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    status = request.GET.get("status", "")
    qs = selectors.subsidies_visible_to(user)
    if status in Status.values:
        qs = qs.filter(status=status)
    year = _year(request)
    center_view = user.role in CENTER_ROLES or user.role == Role.BUREAU_SUPERVISOR
    timeliness = selectors.timeliness_by_center(user, year) if center_view else []
    return render(request, "subsidies/list.html", {
        "items": qs[:LIST_LIMIT], "statuses": Status.choices, "status": status,
        "mine": user.role in PROVIDER_ROLES, "pending": selectors.pending_approval(user)[:LIST_LIMIT],
        # A country's bureau: the centers most in need of attention; every center is on the funding page, paged.
        "timeliness": selectors.needing_attention(timeliness, TIMELINESS_SHOWN), "centers_counted": len(timeliness),
        "year": year, "can_approve": user.role == Role.CENTER_DIRECTOR})


@office_view(SUBSIDY_READERS)
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    subsidy = selectors.subsidy_get_for_user(user, public_id)
    claim = Claim.objects.filter(case_id=subsidy.case_id).prefetch_related("costs").first()
    return render(request, "subsidies/detail.html", {
        "s": subsidy, "claim": claim,
        "can_approve": user.role == Role.CENTER_DIRECTOR and subsidy.status == Status.PENDING,
        "can_claim": user.role in PROVIDER_ROLES and subsidy.status == Status.PENDING})


@office_view({Role.CENTER_DIRECTOR})
def approve(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = office_user(request)
    subsidy = selectors.subsidy_get_for_user(user, public_id)
    to = reverse("subsidies:detail", args=[subsidy.public_id])
    if request.method != "POST":
        return redirect(to)
    try:
        done = services.subsidy_approve(actor=user, public_id=subsidy.public_id)
    except DomainError as exc:
        messages.error(request, f"未审批：{exc.message}")
    else:
        messages.success(request, f"已审批，补贴 {done.total} 元（按审批时的质量等级重新计算）。")
    return redirect(to)


@office_view(PROVIDER_ROLES)
def claim(request: HttpRequest, case_id: Any) -> HttpResponse:
    """The provider's claim on their case: the procedure applied and the direct costs."""
    user = office_user(request)
    case = case_get_for_user(user, case_id)
    if case.provider_id is None or case.provider_id != user.provider_id:
        raise Http404("只有本案承办人员可以申报补贴。")
    existing = Claim.objects.filter(case=case).prefetch_related("costs").first()
    initial: dict[str, Any] = {"procedure": existing.procedure, "units": existing.units} if existing else {}
    if existing is not None:
        for n, cost in enumerate(existing.costs.all()[:COST_ROWS], start=1):
            initial.update({f"item_{n}": cost.item, f"amount_{n}": cost.amount, f"note_{n}": cost.note})
    form = ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_save(actor=user, case_id=case.public_id, procedure=form.cleaned_data["procedure"],
                                units=form.cleaned_data["units"],
                                costs=[services.CostInput(i, a if a is not None else "", n or "")
                                       for i, a, n in form.costs()])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "补贴申报已保存。结案材料审查通过后，系统按补贴标准计算补贴。")
            return redirect("subsidies:claim", case.public_id)
    subsidy = selectors.subsidy_of_case(user, case.pk)
    cost_rows = [(form[f"item_{n}"], form[f"amount_{n}"], form[f"note_{n}"]) for n in range(1, COST_ROWS + 1)]
    return render(request, "subsidies/claim.html", {"form": form, "case": case, "subsidy": subsidy,
                                                    "cost_rows": cost_rows})


@office_view(CENTER_OR_BUREAU)
def batches(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    today = timezone.localdate()
    return render(request, "subsidies/batches.html", {
        "items": selectors.batches_visible_to(user)[:LIST_LIMIT], "can_make": user.role in CENTER_ROLES,
        "form": BatchForm(initial={"month": today.replace(day=1)})})


@office_view(CENTER_ROLES)
def batch_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    if request.method != "POST":
        return redirect("subsidies:batches")
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未生成：请选择所属月份。")
        return redirect("subsidies:batches")
    try:
        batch = services.batch_create(actor=user, month=form.cleaned_data["month"])
    except DomainError as exc:
        messages.error(request, f"未生成：{exc.message}")
        return redirect("subsidies:batches")
    messages.success(request, f"已生成支付批次 {batch.number}，合计 {batch.total} 元。")
    return redirect("subsidies:batch", batch.pk)


@office_view(CENTER_OR_BUREAU)
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = office_user(request)
    found = selectors.batch_get_for_user(user, batch_id)
    rows = list(selectors.batch_subsidies(found))
    center = user.role in CENTER_ROLES
    return render(request, "subsidies/batch.html", {
        "b": found, "rows": rows, "sum": sum((s.total for s in rows), selectors.ZERO),
        "can_submit": center and found.status == BatchStatus.DRAFT and bool(rows),
        "can_pay": center and found.status == BatchStatus.SUBMITTED,
        "paid_form": PaidForm(initial={"paid_on": timezone.localdate()}), "tax_note": exports.TAX_NOTE})


@office_view(CENTER_OR_BUREAU)
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = office_user(request)
    found = selectors.batch_get_for_user(user, batch_id)
    content = exports.batch_xlsx(found, selectors.batch_subsidies(found))
    audit_record(actor=user, action=AuditAction.EXPORT, obj=found, detail={"format": "xlsx"})
    return download(content, XLSX_CONTENT_TYPE, f"subsidy-batch-{found.year}-{found.seq}.xlsx")


@office_view(CENTER_ROLES)
def batch_submit(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = office_user(request)
    found = selectors.batch_get_for_user(user, batch_id)
    to = reverse("subsidies:batch", args=[found.pk])
    if request.method != "POST":
        return redirect(to)
    try:
        services.batch_submit(actor=user, batch_id=found.pk)
    except DomainError as exc:
        messages.error(request, f"未报送：{exc.message}")
    else:
        messages.success(request, "已报送财务。请下载 Excel 清单交财务部门。")
    return redirect(to)


@office_view(CENTER_ROLES)
def batch_paid(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = office_user(request)
    found = selectors.batch_get_for_user(user, batch_id)

    def perform(data: dict[str, Any]) -> str:
        services.batch_mark_paid(actor=user, batch_id=found.pk, paid_on=data["paid_on"])
        return f"已登记支付（{data['paid_on']:%Y年%m月%d日}）。"

    return posted_action(request, PaidForm, back=reverse("subsidies:batch", args=[found.pk]),
                         invalid="未登记：请填写支付日期。", perform=perform, refused_prefix="未登记：")


@office_view(CENTER_OR_BUREAU)
def budgets(request: HttpRequest) -> HttpResponse:
    """The funding page: a page of the user's centers (a city's handful fit on one; a country's 3,000 are paged and
    searched by name) with their figures, and the total of all of them; the budget form offers the page's centers."""
    user = office_user(request)
    year = _year(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.center_list(user, q), FUNDING_PAGE_SIZE).get_page(request.GET.get("page"))
    centers = list(page.object_list)
    bureau = user.role == Role.BUREAU_SUPERVISOR
    can_set = is_city_bureau(user) or user.role == Role.CENTER_DIRECTOR
    form = None
    if can_set:
        chosen = request.GET.get("center", "")  # a row's 登记预算 link
        offered = {str(pk) for pk, _ in centers}
        form = BudgetForm(initial={"year": year, "center": chosen if chosen in offered else None})
        set_choices(form.fields["center"], [(str(pk), name) for pk, name in centers])
    rows, total = selectors.funding(user, year, centers)
    return render(request, "subsidies/budgets.html", {
        # The bureau's total covers every center it reads, whichever page or search is shown.
        "rows": rows, "total": total if bureau else None,
        "total_centers": (page.paginator.count if not q else selectors.center_list(user).count()) if bureau else 0,
        "timeliness": selectors.timeliness_by_center(user, year, centers), "page": page, "q": q,
        "year": year, "years": range(timezone.localdate().year, 2017, -1), "form": form})


@office_view({Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})
def budget_set(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    if request.method != "POST":
        return redirect("subsidies:budgets")
    form = BudgetForm(request.POST)
    # The posted center among the user's (one indexed read, not the country's 3,000 choices).
    posted = request.POST.get("center", "")
    ids = [int(posted)] if posted.isdigit() and len(posted) < 19 else []
    set_choices(form.fields["center"], [(str(pk), name) for pk, name in selectors.center_list(user).filter(pk__in=ids)])
    if not form.is_valid():
        messages.error(request, "未保存：请选择中心并填写年度和金额。")
        return redirect("subsidies:budgets")
    data = form.cleaned_data
    try:
        services.budget_set(actor=user, center_id=int(data["center"]), year=data["year"], amount=data["amount"],
                            note=data["note"])
    except DomainError as exc:
        messages.error(request, f"未保存：{exc.message}")
    else:
        messages.success(request, f"已保存 {data['year']} 年度预算。")
    return redirect(f"{reverse('subsidies:budgets')}?year={data['year']}")


@office_view(CENTER_OR_BUREAU)
def funding_export(request: HttpRequest, year: int) -> HttpResponse:
    if not 2018 <= year <= timezone.localdate().year:
        raise Http404("没有该年度的经费保障报表。")
    user = office_user(request)
    content = exports.funding_xlsx(year, selectors.budget_rows(user, year))
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="subsidies.funding", object_id=str(year),
                 detail={"format": "xlsx"})
    return download(content, XLSX_CONTENT_TYPE, f"legal-aid-funding-{year}.xlsx")
