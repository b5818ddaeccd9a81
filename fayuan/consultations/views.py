"""Consultation screens: the scoped list and the form that records one. Reads through ``selectors``, writes
through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.capped import CappedPaginator
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.core.search import search_load, search_save
from fayuan.eligibility.models import Matter
from fayuan.people.forms import person_choices
from fayuan.people.selectors import person_picker

from . import selectors, services
from .forms import ConsultationForm
from .models import ConsultationChannel

RECORDER_ROLES = CENTER_ROLES | {Role.STATION_CLERK}
READER_ROLES = RECORDER_ROLES | {Role.BUREAU_SUPERVISOR}


@office_view(READER_ROLES)
def consultation_list(request: HttpRequest) -> HttpResponse:
    """The search is POSTed (a name or a number typed in it must not land in access logs) and kept in the session;
    the list and its pages are GETs of ``?s=<opaque key>``. A ``q`` in the URL is ignored."""
    user = office_user(request)
    if request.method == "POST":
        criteria = {"q": request.POST.get("q", "").strip()[:60], "channel": request.POST.get("channel", "").strip()}
        url = f"{reverse('consultations:list')}?s={search_save(request, criteria)}"
        if not getattr(request, "htmx", None):
            return redirect(url)
        request.GET = QueryDict(url.partition("?")[2])
    token, criteria = search_load(request)
    channel = criteria.get("channel", request.GET.get("channel", "")).strip()  # a channel is no personal data
    channel = channel if channel in ConsultationChannel.values else ""
    q = criteria.get("q", "")
    qs = selectors.consultation_list_for_user(user, channel=channel, query=q)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    matters = dict(Matter.objects.in_force_on(timezone.localdate()).values_list("code", "name"))
    matters[services.OTHER_MATTER] = "其他"
    for consultation in page:
        consultation.matter_name = matters.get(consultation.matter, consultation.matter)  # type: ignore[attr-defined]
    context = {"page": page, "channel": channel, "q": q, "channels": ConsultationChannel.choices,
               "can_record": user.role in RECORDER_ROLES,
               "show_center": user.role == Role.BUREAU_SUPERVISOR}
    partial = getattr(request, "htmx", None) and request.htmx.target == "results"  # type: ignore[attr-defined]
    template = "consultations/_consultation_rows.html" if partial else "consultations/consultation_list.html"
    response = render(request, template, context)
    if request.method == "POST":
        response["HX-Push-Url"] = f"{reverse('consultations:list')}?s={token}"
    return response


@office_view(RECORDER_ROLES)
def consultation_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    # The person search is its own POST (a phone tail must not land in URLs or access logs): it re-renders the
    # picker and records nothing.
    searching = request.method == "POST" and "person_search" in request.POST
    submitted = request.method == "POST" and not searching
    query = request.POST.get("q", "").strip()[:40] if searching else ""
    chosen = request.POST.get("person") or request.GET.get("person")
    persons, more = person_picker(user, query, (chosen,), by_phone=True)
    initial = {"person": chosen,
               "channel": ConsultationChannel.STATION if user.role == Role.STATION_CLERK else
               ConsultationChannel.COUNTER}
    form = ConsultationForm(request.POST if submitted else None, persons=person_choices(persons),
                            on=timezone.localdate(), initial=initial)
    if submitted and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_record(
                actor=user, channel=data["channel"], question=data["question"], advice=data["advice"],
                person_id=data["person"] or None, caller_name=data["caller_name"], matter=data["matter"],
                referred_to_application=data["referred_to_application"],
            )
        except NotFoundOrForbidden:
            form.add_error("person", "未找到该人员，或不在您的范围内。")
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已登记咨询。")
            return redirect("consultations:list")
    return render(request, "consultations/consultation_form.html", {"form": form, "query": query, "more": more,
                                                             "chosen": chosen},
                  status=422 if form.errors else 200)
