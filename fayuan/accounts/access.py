"""Role gate for back-office views.

Anonymous users are sent to sign in; a signed-in user whose role may not use a view gets 404, the same answer as
for a record that does not exist, so the office does not reveal what lies behind a URL. Domain errors raised by a
service or selector become the matching HTTP answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fayuan.accounts.models import User
from fayuan.core.errors import DomainError, NotFoundOrForbidden, ServiceUnavailable

View = Callable[..., HttpResponse]


def office_view(roles: Iterable[str]) -> Callable[[View], View]:
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "role", None) not in allowed:
                raise Http404("未找到该页面。")
            try:
                return view(request, *args, **kwargs)
            except NotFoundOrForbidden:
                raise Http404("未找到该记录，或您无权查看。") from None
            except DomainError as exc:
                response = render(request, "errors/domain.html", {"message": exc.message}, status=exc.http_status)
                if isinstance(exc, ServiceUnavailable):  # e.g. a full upload disk: nothing changed, retry later
                    response["Retry-After"] = str(exc.retry_after)
                return response

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorate


def office_user(request: HttpRequest) -> User:
    """The signed-in user of a view already behind ``office_view`` (typed, for the selectors and services)."""
    return cast(User, request.user)
