"""Who is calling: a system client with a bearer token, or a signed-in browser user (session + CSRF).

A bearer header that does not name a live token is refused outright (401) rather than falling through to the
session, so a misconfigured client finds out at once instead of acting under someone's browser session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from fayuan.accounts.models import User
from fayuan.accounts.twofactor import is_verified, needs_second_factor

from .models import ApiToken
from .tokens import token_digest

# Writing last_used_at on every request would turn every read into a write; once a minute is precise enough.
TOUCH_EVERY = dt.timedelta(minutes=1)


class InvalidToken(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(401, "令牌无效、已吊销或账户已停用。")


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(token_hash=token_digest(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``manage.py issue_api_token``."""

    openapi_description = "系统对接令牌：Authorization: Bearer <令牌>（manage.py issue_api_token 签发）"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token.strip())
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class SessionCsrfAuth(APIKeyCookie):
    """The Django session of a signed-in browser user; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "已登录的浏览器会话（非 GET 请求须携带 X-CSRFToken）"

    def __call__(self, request: HttpRequest) -> User | None:
        # Unlike ninja's django_auth, check CSRF only for a signed-in user: an anonymous POST is a 401, not a 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        # An office session that has passed only its password is not signed in yet (two-factor sign-in).
        if needs_second_factor(user) and not is_verified(user):
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(403, "CSRF 校验失败：请刷新页面后重试，并在请求头 X-CSRFToken 中携带令牌。")
        return cast(User, user)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - __call__ decides
        return None


def api_user(request: HttpRequest) -> User:
    """The authenticated caller of an endpoint behind ``ApiTokenAuth`` / ``SessionCsrfAuth``."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def optional_caller(request: HttpRequest) -> User | None:
    """The caller of an open endpoint, if they identified themselves (a bad token is still a 401)."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if header and scheme.lower() == "bearer":
        user = user_for_token(raw.strip())
        if user is None:
            raise InvalidToken()
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return cast(User, user)
    return None


token_auth = ApiTokenAuth()
session_auth = SessionCsrfAuth()
