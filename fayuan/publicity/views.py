"""Publicity pages: a year's counts of the user's unit (by type, channel and month; per center for a bureau) with the
events and media items, and the forms recording one of each."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fayuan.accounts.access import office_user, office_view
from fayuan.accounts.roles import BUREAU_ROLES
from fayuan.core.errors import DomainError
from fayuan.core.params import parse_int

from . import selectors, services
from .forms import EventForm, MediaForm
from .models import Channel, EventKind
from .selectors import PUBLICITY_ROLES

LIST_LIMIT = 100


@office_view(PUBLICITY_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    this = timezone.localdate().year
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=this, default=this) or this
    counts = selectors.publicity_counts_for_user(user, year)
    assert counts is not None  # noqa: S101  (office_view let only centers and bureaus in)
    per_center = (selectors.publicity_counts_by_center(year=year, district_id=user.district_id)
                  if user.role in BUREAU_ROLES else [])
    return render(request, "publicity/index.html", {
        "year": year, "years": range(this, this - 5, -1), "counts": counts, "per_center": per_center,
        "by_kind": [(EventKind(k).label, n) for k, n in counts.events_by_kind.items()],
        "by_channel": [(Channel(k).label, n) for k, n in counts.media_by_channel.items()],
        "months": [(m, counts.events_by_month[m], counts.media_by_month[m]) for m in range(1, 13)],
        "events": selectors.events_visible_to(user).filter(held_on__year=year)[:LIST_LIMIT],
        "media": selectors.media_visible_to(user).filter(published_on__year=year)[:LIST_LIMIT]})


@office_view(PUBLICITY_ROLES)
def event_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = EventForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(actor=user, data=services.EventInput(**form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "宣传活动已登记。")
            return redirect("publicity:index")
    return render(request, "publicity/form.html", {"form": form, "title": "登记宣传活动"})


@office_view(PUBLICITY_ROLES)
def media_new(request: HttpRequest) -> HttpResponse:
    user = office_user(request)
    form = MediaForm(request.POST or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.media_record(actor=user, data=services.MediaInput(**form.cleaned_data))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "媒体宣传已登记。")
            return redirect("publicity:index")
    return render(request, "publicity/form.html", {"form": form, "title": "登记媒体宣传"})
