"""Searches that may carry personal data (a phone number, a name) go by POST and are kept in the session under an
opaque key, so URLs (access logs, browser history, the Referer header) carry only ``?s=<key>`` and the page number:
the search is posted once, then paginated and reloaded by GET (post/redirect/get)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

SESSION_KEY = "fayuan_searches"
KEEP = 20  # searches remembered per session; older keys fall back to the unfiltered list


def search_save(request: HttpRequest, criteria: dict[str, str]) -> str:
    """Remember ``criteria`` for this session; returns the opaque key to put in the URL."""
    token = secrets.token_urlsafe(9)
    saved = dict(request.session.get(SESSION_KEY) or {})
    saved[token] = {str(k): str(v) for k, v in criteria.items()}
    while len(saved) > KEEP:
        saved.pop(next(iter(saved)))
    request.session[SESSION_KEY] = saved
    return token


def search_load(request: HttpRequest) -> tuple[str, dict[str, str]]:
    """The key in ``?s=`` and its criteria; ("", {}) when absent, unknown or from another session."""
    token = request.GET.get("s", "")
    saved = request.session.get(SESSION_KEY) or {}
    if token and isinstance(saved, dict) and token in saved:
        return token, dict(saved[token])
    return "", {}
