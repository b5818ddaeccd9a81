"""The elderly-friendly mode (law art. 45): a cookie chosen once, read on every page of the public site."""

from __future__ import annotations

from django.http import HttpRequest

MODE_COOKIE = "fy_mode"
ELDERLY = "elderly"
STANDARD = "standard"


def is_elderly(request: HttpRequest) -> bool:
    return request.COOKIES.get(MODE_COOKIE) == ELDERLY


def portal(request: HttpRequest) -> dict[str, object]:
    elderly = is_elderly(request)
    return {"elderly_mode": elderly, "portal_mode": ELDERLY if elderly else STANDARD,
            "portal_html_class": "mode-elderly" if elderly else ""}
