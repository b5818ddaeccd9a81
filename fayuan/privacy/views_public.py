"""The public side of the privacy duties: the short processing notice, and an applicant's own data download.

The portal is a sibling feature app (not imported): its sign-in page is reached by URL name, and these pages use
its base template."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role

from . import record, services
from .views import json_download


def _applicant_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the SMS sign-in; any other role gets 404 (as the portal's own pages do)."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:signin')}?{urlencode({'next': request.path})}")
        if getattr(request.user, "role", None) != Role.APPLICANT:
            raise Http404("未找到该页面。")
        return view(request, *args, **kwargs)
    return wrapper


def notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/public_notice.html", {"activities": record.activities(),
                                                          "years": record.archive_years()})


@_applicant_only
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """GET: what the download holds; POST: the download itself (audited), so a link or a prefetch never makes one."""
    if request.method == "POST":
        data = services.applicant_data_export(actor=cast(User, request.user))
        return json_download(data, f"my-data-{timezone.localtime():%Y%m%d-%H%M}.json")
    return render(request, "privacy/my_data.html")
