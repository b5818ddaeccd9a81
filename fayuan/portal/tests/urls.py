"""config.urls without its root redirect, plus the public site at "/" (as the lead will mount it)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as base

_mounted = any(isinstance(p, URLResolver) and p.namespace == "portal" for p in base)
urlpatterns: list[URLPattern | URLResolver] = (
    [*base] if _mounted
    else [path("", include("fayuan.portal.urls")), *(p for p in base if getattr(p, "name", None) != "root")]
)
