"""The admin is the system administrator's tool and nobody else's: other signed-in roles get 404, anonymous
visitors go to the ordinary sign-in page (the admin has no login form of its own)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


class OfficeAdminSite(admin.AdminSite):
    site_header = "法援平台 · 系统管理"
    site_title = "法援平台管理"
    index_title = "主数据与账户管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", "") == "system_admin")

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404("未找到该页面。")
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(request.GET.get("next") or "/office/admin/")
