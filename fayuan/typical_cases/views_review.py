"""The annual excellent-case review's pages: the city bureau's alone (a district bureau gets a 404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES
from fayuan.core.actions import posted_action
from fayuan.core.errors import DomainError
from fayuan.core.forms import OfficeForm, set_choices

from . import selectors, services_review
from .forms import NominateForm, OpenReviewForm, PanelForm
from .models import ExcellenceReview, Status


def _bureau(request: HttpRequest) -> User:
    user = office_user(request)
    if not selectors.is_city_bureau(user):
        raise Http404("年度优秀案件评审由市司法局组织。")
    return user


@office_view(BUREAU_ROLES)
def reviews(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    form = OpenReviewForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            review = services_review.excellence_review_open(actor=user, year=form.cleaned_data["year"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "评审已开始，请确定评审组并推荐案例。")
            return redirect("typical_cases:excellence_detail", review.pk)
    return render(request, "typical_cases/excellence_list.html", {
        "reviews": ExcellenceReview.objects.all(), "form": form})


def _score_form(criteria: list[Any]) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {
        "nomination": forms.TypedChoiceField(label="被推荐案例", coerce=int),
        "member": forms.TypedChoiceField(label="评审人", coerce=int)}
    for c in criteria:
        fields[c.code] = forms.IntegerField(label=f"{c.name}（满分 {c.max_points}）", min_value=0,
                                            max_value=c.max_points, help_text=c.description)
    return type("ScoreForm", (OfficeForm,), fields)


@office_view(BUREAU_ROLES)
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _bureau(request)
    review = selectors.review_get_for_user(user, review_id)
    criteria = selectors.criteria_on(services_review.rubric_day(review))
    score_form = _score_form(criteria)()
    nominations = list(review.nominations.select_related("typical_case__center"))
    panel = list(review.panel.all())
    set_choices(score_form.fields["nomination"], [(str(n.pk), n.typical_case.title) for n in nominations])
    set_choices(score_form.fields["member"], [(str(m.pk), m.name) for m in panel])
    nominate = NominateForm()
    nominated = {n.typical_case_id for n in nominations}
    set_choices(nominate.fields["typical_case"], [
        (str(t.public_id), f"{t.title}（{t.center.name}）") for t in selectors.public_typical_cases()
        .filter(period__year=review.year).exclude(pk__in=nominated)])
    return render(request, "typical_cases/excellence_detail.html", {
        "review": review, "criteria": criteria, "panel": panel, "results": selectors.review_results(review),
        "panel_form": PanelForm(), "nominate_form": nominate, "score_form": score_form,
        "accepted": Status.ACCEPTED})


def _back(review_id: int) -> str:
    return reverse("typical_cases:excellence_detail", args=[review_id])


@office_view(BUREAU_ROLES)
def panel_add(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _bureau(request)
    review = selectors.review_get_for_user(user, review_id)

    def perform(data: dict[str, Any]) -> str:
        services_review.panel_member_add(actor=user, review_id=review.pk, name=data["name"],
                                         affiliation=data["affiliation"])
        return "评审人已加入评审组。"

    return posted_action(request, PanelForm, back=_back(review.pk), invalid="未添加：请填写姓名和单位。",
                         perform=perform, refused_prefix="未添加：")


@office_view(BUREAU_ROLES)
def nominate(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _bureau(request)
    review = selectors.review_get_for_user(user, review_id)
    if request.method != "POST":
        return redirect(_back(review.pk))
    try:
        services_review.nomination_add(actor=user, review_id=review.pk,
                                       typical_case_id=request.POST.get("typical_case", ""))
    except DomainError as exc:
        messages.error(request, f"未推荐：{exc.message}")
    else:
        messages.success(request, "已推荐。")
    return redirect(_back(review.pk))


@office_view(BUREAU_ROLES)
def scores(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _bureau(request)
    review = selectors.review_get_for_user(user, review_id)
    criteria = selectors.criteria_on(services_review.rubric_day(review))
    form_class = _score_form(criteria)

    def perform(data: dict[str, Any]) -> str:
        services_review.scores_record(actor=user, review_id=review.pk, nomination_id=data["nomination"],
                                      member_id=data["member"], points={c.code: data[c.code] for c in criteria})
        return "评分已录入。"

    class Bound(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            set_choices(self.fields["nomination"], [(str(n), "") for n in
                                                    review.nominations.values_list("pk", flat=True)])
            set_choices(self.fields["member"], [(str(m), "") for m in review.panel.values_list("pk", flat=True)])

    return posted_action(request, Bound, back=_back(review.pk), perform=perform, refused_prefix="",
                         invalid="评分未保存：请选择案例和评审人，并填写每项得分。")


@office_view(BUREAU_ROLES)
def close(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _bureau(request)
    review = selectors.review_get_for_user(user, review_id)

    def perform(data: dict[str, Any]) -> str:
        services_review.excellence_review_close(actor=user, review_id=review.pk)
        return "评审已结束，结果已确定。"

    return posted_action(request, forms.Form, back=_back(review.pk), invalid="", perform=perform,
                         refused_prefix="未结束：")
