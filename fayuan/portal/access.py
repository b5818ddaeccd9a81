"""Gate for the applicant's pages: anonymous visitors go to the SMS sign-in, other roles get 404 (as for a record
that does not exist), domain errors become a plain page with the message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.core.errors import DomainError, NotFoundOrForbidden

View = Callable[..., HttpResponse]


def signin_url(next_path: str = "") -> str:
    url = reverse("portal:signin")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def applicant_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(signin_url(request.path))
        if getattr(user, "role", None) != Role.APPLICANT:
            raise Http404("未找到该页面。")
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404("未找到该记录。") from None
        except DomainError as exc:
            return render(request, "portal/error.html", {"message": exc.message}, status=exc.http_status)

    return wrapper


def applicant(request: HttpRequest) -> User:
    return cast(User, request.user)
