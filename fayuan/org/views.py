"""Master-data browsing for the back office: thin views over ``selectors``; editing happens in the admin."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from fayuan.accounts.access import office_view
from fayuan.accounts.roles import MASTER_DATA_ROLES

from . import selectors
from .models import Center, District, ProviderKind, Specialty, StationType
from .provider_notes import provider_notes

PAGE_SIZE = 25


def _page(request: HttpRequest, qs):  # type: ignore[no-untyped-def]
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request: HttpRequest, full: str, context: dict) -> HttpResponse:  # type: ignore[type-arg]
    """htmx requests for a filtered list get only the table partial.

    The same URL answers with a full page or a fragment depending on htmx headers, so caches (and the browser's
    back button) must key on them.
    """
    if request.htmx and request.htmx.target == "results":  # type: ignore[attr-defined]
        response = render(request, full, context | {"partial_only": True})
    else:
        response = render(request, full, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@office_view(MASTER_DATA_ROLES)
def district_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    return render(request, "org/district_list.html", {"page": _page(request, selectors.district_list(query=q)),
                                                      "q": q, "today": timezone.localdate()})


@office_view(MASTER_DATA_ROLES)
def center_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    return render(request, "org/center_list.html", {"page": _page(request, selectors.center_list(query=q)), "q": q})


@office_view(MASTER_DATA_ROLES)
def station_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "type", "district")}
    duty = request.GET.get("duty") == "1"
    qs = selectors.station_list(query=f["q"], type=f["type"], district=f["district"], duty=duty)
    return _render(request, "org/station_list.html", {
        "page": _page(request, qs), "filters": f, "duty": duty, "types": StationType.choices,
        "districts": District.objects.all(),
    })


@office_view(MASTER_DATA_ROLES)
def provider_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "center", "specialty")}
    excellent, pool = request.GET.get("excellent") == "1", request.GET.get("pool") == "1"
    qs = selectors.provider_list(query=f["q"], kind=f["kind"], center=f["center"], specialty=f["specialty"],
                                 excellent=excellent, criminal_pool=pool)
    return _render(request, "org/provider_list.html", {
        "page": _page(request, qs), "filters": f, "excellent": excellent, "pool": pool,
        "kinds": ProviderKind.choices, "centers": Center.objects.all(), "specialties": Specialty.objects.all(),
        "today": timezone.localdate(),
    })


@office_view(MASTER_DATA_ROLES)
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get(pk)
    if provider is None:
        raise Http404("未找到该法律援助人员。")
    notes = provider_notes([provider.pk], request.user).get(provider.pk, [])
    return render(request, "org/provider_detail.html", {"p": provider, "today": timezone.localdate(),
                                                        "notes": notes})


@office_view(MASTER_DATA_ROLES)
def staff_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "center")}
    qs = selectors.staff_list(query=f["q"], center=f["center"])
    return _render(request, "org/staff_list.html", {
        "page": _page(request, qs), "filters": f, "centers": Center.objects.all(), "today": timezone.localdate(),
    })
