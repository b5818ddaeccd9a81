from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .demo_seed import demo_seed_context


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise. No details that could help an attacker."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})



@never_cache
@require_GET
def demo_seed_progress(request: HttpRequest) -> HttpResponse:
    """The demo seeder's progress banner, polled by the home pages (public: it tells how far the invented demo data
    has got, nothing more; empty in production, where the seeder never runs, and once the seeder is done)."""
    return render(request, "core/_demo_seed.html", demo_seed_context())
