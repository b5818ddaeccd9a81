"""Two session guards of the sign-in (等保 level 3).

``IdleTimeoutMiddleware`` signs a session out after a stretch without requests (office and public site each have
their own setting). ``SecondFactorMiddleware`` keeps an office account that has passed only its password on the
second step (or the enrolment) until it passes its second factor: every page but signing in and out sends it
there. The API is left to its own authentication: a bearer token is not a session, and the session
authentication of the API refuses an unverified office session itself (``fayuan.api.auth``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .roles import Role
from .twofactor import confirmed_totp, is_verified, needs_second_factor

LAST_ACTIVITY_KEY = "fayuan_last_activity"
# Writing the session on every request would turn every read into a write; a minute's precision is enough.
_TOUCH_EVERY_SECONDS = 60
MSG_IDLE = "您已较长时间未操作，为保护信息安全已自动退出，请重新登录。"


def _is_api(path: str) -> bool:
    return path.startswith("/api/")


def idle_timeout_seconds(user: object) -> int:
    if getattr(user, "role", "") == Role.APPLICANT:
        return int(settings.PORTAL_IDLE_TIMEOUT_SECONDS)
    return int(settings.OFFICE_IDLE_TIMEOUT_SECONDS)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int | float) and now - last > idle_timeout_seconds(user):
                applicant = getattr(user, "role", "") == Role.APPLICANT
                request.fayuan_logout_reason = "idle"  # type: ignore[attr-defined]  # read by the audit signal
                logout(request)
                if not _is_api(request.path):
                    messages.info(request, MSG_IDLE)
                    if applicant:
                        return HttpResponseRedirect(reverse("portal:signin") + "?" + urlencode(
                            {"next": request.get_full_path()}))
                    return redirect_to_login(request.get_full_path())
            elif not isinstance(last, int | float) or now - last >= _TOUCH_EVERY_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = int(now)
        return self.get_response(request)


# Reachable before the second factor: signing in (both steps and the enrolment) and out, static files, the health
# check, and the API (which has its own rule, see above).
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/static/", "/healthz", "/api/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (needs_second_factor(user) and not is_verified(user)
                and not request.path.startswith(_OPEN_PREFIXES)):
            step = "otp_verify" if confirmed_totp(user) is not None else "otp_enrol"  # type: ignore[arg-type]
            target = reverse(step) + "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                # An htmx request would swap the second-step page into a fragment: send the whole page there.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)
