"""The signed-in applicant's pages: my applications, one case's progress in plain words, choosing a lawyer,
objecting, asking for another lawyer, rating, and messages. Every case page goes through ``portal_case_get``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fayuan.cases.models import ProviderChangeRequest
from fayuan.cases.selectors import PREFERENCE_STATUSES, can_choose, choice_window, provider_preference
from fayuan.complaints.selectors import complaints_visible_to
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.params import parse_id
from fayuan.notifications.selectors import notifications_for
from fayuan.notifications.services import notification_mark_read

from . import selectors, services
from .access import applicant, applicant_view
from .forms import PortalForm
from .models import PortalSubmission, RatingStage
from .services.following import case_path


class ObjectionForm(PortalForm):
    grounds = forms.CharField(label="您不同意的理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


class ChangeForm(PortalForm):
    reason = forms.CharField(label="为什么要更换律师", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(PortalForm):
    stage = forms.ChoiceField(choices=RatingStage.choices, widget=forms.HiddenInput)
    score = forms.TypedChoiceField(label="评分", coerce=int, widget=forms.RadioSelect,
                                   choices=[(5, "5 分 非常满意"), (4, "4 分 满意"), (3, "3 分 一般"),
                                            (2, "2 分 不满意"), (1, "1 分 非常不满意")])
    comment = forms.CharField(label="意见和建议（选填）", max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


@applicant_view
def my_home(request: HttpRequest) -> HttpResponse:
    user = applicant(request)
    return render(request, "portal/my/home.html", {
        "cases": list(selectors.my_cases(user)), "draft": services.draft_open_for(user),
        "unread": notifications_for(user, unread_only=True).count(),
    })


def _case_context(request: HttpRequest, public_id: str) -> dict[str, object]:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    reached = selectors.stages_reached(case)
    rated = selectors.my_ratings(user, case)
    window = choice_window(case)
    return {
        "case": case, "timeline": selectors.case_timeline(case), "hearings": selectors.hearings(case),
        "provider": selectors.current_provider(case), "can_choose": can_choose(case, window=window),
        "preference": provider_preference(case),
        "choice_window": window, "can_object": case.status in selectors.OBJECTABLE_STATUSES,
        "can_change": case.status in selectors.HANDLING_STATUSES,
        "change_pending": ProviderChangeRequest.objects.filter(case=case, handled_at__isnull=True).exists(),
        "to_rate": [(s, RatingStage(s).label) for s in reached if s not in rated],
        "rated": [(RatingStage(s).label, r) for s, r in rated.items()],
        "messages_for_case": list(notifications_for(user).filter(link=case_path(case))[:20]),
        "is_submitter": PortalSubmission.objects.filter(case=case, account=user).exists(),
        "rating_form": RatingForm(),
        # Complaints this account made about the case's provider (their status and the bureau's answer).
        "complaints": list(complaints_visible_to(user).filter(case=case).order_by("-received_at")[:10]),
    }


@applicant_view
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return render(request, "portal/my/case.html", _case_context(request, public_id))


@applicant_view
def receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    submission = PortalSubmission.objects.filter(case=case, account=user).first()
    return render(request, "portal/my/receipt.html", {"case": case, "submission": submission})


@applicant_view
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("provider", "")
        try:
            services.provider_choose(account=user, public_id=case.public_id,
                                                  provider_id=parse_id(raw) or 0)
        except (Conflict, ValidationFailed) as exc:
            error = exc.message
            case.refresh_from_db()
        else:
            if case.status in PREFERENCE_STATUSES:
                messages.success(request, "已记录您选择的律师。决定给予法律援助后，将优先指派这位律师。")
            else:
                messages.success(request, "已为您指派所选的律师，律师会在 5 天内与您联系。")
            return redirect("portal:case", public_id=case.public_id)
    window = choice_window(case)
    can = can_choose(case, window=window)
    return render(request, "portal/my/choose.html", {
        "case": case, "can_choose": can, "window": window, "error": error,
        "ahead": case.status in PREFERENCE_STATUSES, "preference": provider_preference(case),
        "profiles": selectors.choosable_providers(case) if can else [],
    }, status=409 if error else 200)


@applicant_view
@require_http_methods(["GET", "POST"])
def object_refusal(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_submit(account=user, public_id=case.public_id, grounds=form.cleaned_data["grounds"])
        except (Conflict, ValidationFailed) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "您的异议已提交，市司法局将在 5 日内审查并作出决定。")
            return redirect("portal:case", public_id=case.public_id)
    return render(request, "portal/my/object.html", {
        "case": case, "form": form, "allowed": case.status in selectors.OBJECTABLE_STATUSES})


@applicant_view
@require_http_methods(["GET", "POST"])
def change_lawyer(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id)
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_change_request(account=user, public_id=case.public_id,
                                             reason=form.cleaned_data["reason"])
        except (Conflict, ValidationFailed) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "您的申请已提交，法律援助中心会尽快处理并告诉您结果。")
            return redirect("portal:case", public_id=case.public_id)
    return render(request, "portal/my/change.html", {
        "case": case, "form": form, "allowed": case.status in selectors.HANDLING_STATUSES})


@applicant_view
@require_POST
def rate(request: HttpRequest, public_id: str) -> HttpResponse:
    user = applicant(request)
    case = selectors.portal_case_get(user, public_id, audit=False)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择 1 到 5 分。")
        return redirect("portal:case", public_id=case.public_id)
    try:
        services.rating_submit(account=user, public_id=case.public_id, stage=form.cleaned_data["stage"],
                               score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "谢谢您的评价！")
    return redirect("portal:case", public_id=case.public_id)


@applicant_view
def inbox(request: HttpRequest) -> HttpResponse:
    user = applicant(request)
    items = list(notifications_for(user)[:50])
    for item in items:
        if item.read_at is None:
            notification_mark_read(user=user, notification_id=item.pk)
    return render(request, "portal/my/inbox.html", {"items": items})
