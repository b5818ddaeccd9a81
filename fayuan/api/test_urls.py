"""URLs for the API tests: the site's own patterns plus the API, whether or not config.urls mounts it yet."""

from __future__ import annotations

from typing import cast

from django.urls import URLPattern, URLResolver, path

from config import urls as site_urls

from .api import api

base = cast(list[URLPattern | URLResolver], site_urls.urlpatterns)
_mounted = any(isinstance(p, URLResolver) and p.namespace == "api" for p in base)
urlpatterns = [*base] if _mounted else [*base, path("api/v1/", api.urls)]
