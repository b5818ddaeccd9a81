"""Peer-review pages under /office/quality/peer-review/: the city bureau opens rounds and assigns reviewers, a
reviewer sees and scores only the cases assigned to them, centers (and bureaus) read their results and record the
improvement of an unqualified one. Anything outside the user's part is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES
from fayuan.cases.models import ClosingFile
from fayuan.core.audit import audit_record
from fayuan.core.errors import DomainError
from fayuan.core.forms import set_choices
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id, parse_int

from ..models import QualityGrade
from . import selectors, services
from .forms import BalancedAssignForm, ImprovementDoneForm, ImprovementForm, RoundForm, SampleAssignForm, ScoreForm
from .selectors import PEER_ROLES, RESULT_READERS, REVIEWER_ROLES


def _city_bureau(request: HttpRequest) -> User:
    user = office_user(request)
    if not selectors.is_city_bureau(user):
        raise Http404("未找到该页面。")
    return user


def _reviewer_choices() -> list[tuple[str, str]]:
    users = (User.objects.filter(is_active=True, role__in=REVIEWER_ROLES)
             .exclude(center__isnull=True, provider__isnull=True)
             .select_related("center", "provider", "provider__firm", "provider__home_center").order_by("role", "pk"))
    out = []
    for u in users:
        name = u.display_name or (u.provider.name if u.provider else u.username)
        where = u.center.name if u.center else (
            f"{u.provider.firm.name if u.provider and u.provider.firm else '无执业机构'}，"
            f"{u.provider.home_center.name if u.provider else ''}")
        out.append((str(u.pk), f"{name}（{u.get_role_display()}，{where}）"))
    return out


@office_view(PEER_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    return render(request, "quality/peer/index.html", {
        "city": selectors.is_city_bureau(user), "rounds": selectors.rounds_for(user),
        "reviewer": user.role in REVIEWER_ROLES, "reader": user.role in RESULT_READERS,
        "mine": selectors.my_reviews(user).filter(scored_at__isnull=True).count(),
        "due": selectors.improvements_due(user)[:100] if user.role in RESULT_READERS else []})


@office_view(BUREAU_ROLES)
def round_new(request: HttpRequest) -> HttpResponse:
    user = _city_bureau(request)
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已抽取 {round_.samples.count()} 件案件，随机种子 {round_.seed} 已记录。")
            return redirect("quality:peer_round", round_id=round_.pk)
    return render(request, "quality/peer/form.html", {"form": form, "title": "新建年度评查（抽样）"})


@office_view(BUREAU_ROLES)
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _city_bureau(request)
    round_ = selectors.round_get(user, round_id)
    choices = _reviewer_choices()
    balanced = BalancedAssignForm()
    set_choices(balanced.fields["reviewers"], choices)
    return render(request, "quality/peer/round.html", {
        "round": round_, "samples": selectors.round_samples(round_), "balanced": balanced,
        "reviewer_choices": choices, "redraw_ok": selectors.round_redraw_matches(round_)})


@office_view(BUREAU_ROLES)
def round_assign(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _city_bureau(request)
    round_ = selectors.round_get(user, round_id)
    back = reverse("quality:peer_round", args=[round_.pk])
    if request.method != "POST":
        return redirect(back)
    form = BalancedAssignForm(request.POST)
    set_choices(form.fields["reviewers"], _reviewer_choices())
    if not form.is_valid():
        messages.error(request, "未分配：请至少选择一名评估人。")
        return redirect(back)
    try:
        assigned, stuck = services.round_assign_balanced(actor=user, round_id=round_.pk,
                                                         reviewer_ids=form.cleaned_data["reviewers"])
    except DomainError as exc:
        messages.error(request, f"未分配：{exc.message}")
    else:
        messages.success(request, f"已分配 {assigned} 件。" + (
            f"{len(stuck)} 件因所选评估人均需回避未能分配，请另选评估人。" if stuck else ""))
    return redirect(back)


@office_view(BUREAU_ROLES)
def sample_assign(request: HttpRequest, sample_id: int) -> HttpResponse:
    user = _city_bureau(request)
    sample = selectors.sample_get_for_user(user, sample_id)
    back = reverse("quality:peer_round", args=[sample.round_id])
    if request.method != "POST":
        return redirect(back)
    form = SampleAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未指定：请选择评估人。")
        return redirect(back)
    try:
        services.sample_assign(actor=user, sample_id=sample.pk, reviewer_id=form.cleaned_data["reviewer"])
    except DomainError as exc:
        messages.error(request, f"未指定：{exc.message}")
    else:
        messages.success(request, f"案件 {sample.case.number} 的评估人已指定。")
    return redirect(back)


@office_view(REVIEWER_ROLES)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "quality/peer/mine.html", {"samples": selectors.my_reviews(office_user(request))})


def _closing(sample: Any) -> ClosingFile | None:
    return ClosingFile.objects.filter(case_id=sample.case_id, accepted=True).order_by("-submitted_at").first()


@office_view(REVIEWER_ROLES)
def score(request: HttpRequest, sample_id: int) -> HttpResponse:
    user = office_user(request)
    sample = selectors.sample_for_reviewer(user, sample_id)
    rubric = sample.round.rubric
    items = services.rubric_items(rubric)
    guidance = {i.pk: i.guidance for i in rubric.items.all()}
    initial: dict[str, Any] = {"comment": sample.comment,
                               **{f"item_{k}": v for k, v in sample.scores.items()},
                               **{f"note_{k}": v for k, v in sample.item_comments.items()}}
    form = ScoreForm(request.POST or None, initial=initial, items=items, guidance=guidance)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.sample_score(actor=user, sample_id=sample.pk, scores={i: d[f"item_{i}"] for i, _t, _m in items},
                                  item_comments={i: d[f"note_{i}"] for i, _t, _m in items}, comment=d["comment"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "评分已保存。")
            return redirect("quality:peer_mine")
    # The reviewer reads another center's case file by assignment: the reading is logged like any case access.
    audit_record(actor=user, action=AuditAction.READ, obj=sample.case, purpose="同行评估")
    return render(request, "quality/peer/score.html", {"form": form, "sample": sample, "rubric": rubric,
                                                       "closing": _closing(sample)})


@office_view(PEER_ROLES)
def sample_detail(request: HttpRequest, sample_id: int) -> HttpResponse:
    user = office_user(request)
    sample = selectors.sample_get_for_user(user, sample_id)
    titles = {str(i.pk): (i.title, i.max_points) for i in sample.round.rubric.items.all()}
    rows = [(titles.get(k, (k, ""))[0], titles.get(k, ("", ""))[1], v, sample.item_comments.get(k, ""))
            for k, v in sorted(sample.scores.items(), key=lambda kv: list(titles).index(kv[0])
                               if kv[0] in titles else 999)]
    improvement = getattr(sample, "improvement", None)
    return render(request, "quality/peer/sample.html", {
        "sample": sample, "rows": rows, "improvement": improvement, "city": selectors.is_city_bureau(user),
        "is_reviewer": sample.reviewer_id == user.pk,
        "can_improve": user.role in CENTER_ROLES and user.center_id == sample.center_id and sample.unqualified})


def _own_center_sample(user: User, sample_id: int) -> Any:
    """A sample of the user's own center: the reviewer of another center never sees the improvement forms."""
    sample = selectors.sample_get_for_user(user, sample_id)
    if sample.center_id != user.center_id:
        raise Http404("未找到该记录，或您无权查看。")
    return sample


@office_view(CENTER_ROLES)
def improvement(request: HttpRequest, sample_id: int) -> HttpResponse:
    user = office_user(request)
    sample = _own_center_sample(user, sample_id)
    note = getattr(sample, "improvement", None)
    form = ImprovementForm(request.POST or None, initial={"measures": note.measures, "deadline": note.deadline}
                           if note else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.improvement_record(actor=user, sample_id=sample.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "整改记录已保存。")
            return redirect("quality:peer_sample", sample_id=sample.pk)
    return render(request, "quality/peer/form.html", {"form": form, "sample": sample, "title": "登记整改"})


@office_view(CENTER_ROLES)
def improvement_done(request: HttpRequest, sample_id: int) -> HttpResponse:
    user = office_user(request)
    sample = _own_center_sample(user, sample_id)
    form = ImprovementDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.improvement_done(actor=user, sample_id=sample.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "整改已登记完成。")
            return redirect("quality:peer_sample", sample_id=sample.pk)
    return render(request, "quality/peer/form.html", {"form": form, "sample": sample, "title": "登记整改完成"})


@office_view(RESULT_READERS)
def results(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100)
    by_center, by_provider = selectors.results(user, year=year)
    return render(request, "quality/peer/results.html", {
        "year": year, "by_center": by_center, "by_provider": by_provider, "grades": QualityGrade.choices})


@office_view(RESULT_READERS)
def records(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100)
    grade = request.GET.get("grade", "")
    if grade not in QualityGrade.values:
        grade = ""
    samples = selectors.result_samples(user, year=year, center_id=parse_id(request.GET.get("center")),
                                       provider_id=parse_id(request.GET.get("provider")), grade=grade)
    return render(request, "quality/peer/records.html", {"samples": samples, "year": year,
                                                         "grade": grade})
