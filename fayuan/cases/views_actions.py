"""One URL per action panel. Each view parses the panel's form, calls the panel's one service, and answers:

- success: htmx → the case's live part (status, panels, timeline) with a message; plain POST → redirect to the case;
- invalid input → the same panel with the Chinese message next to its field, HTTP 422;
- the action does not fit the case now (state, or a race lost under the lock) → the reason, HTTP 409.

A GET shows the panel on a page of its own (a link from a notification, or a browser without the case page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fayuan.accounts.access import View, office_user, office_view
from fayuan.accounts.models import User
from fayuan.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed

from . import selectors
from .models import Case
from .views_detail import case_context
from .views_panels import PANELS, CaseFacts, Panel, PanelView, build_form, refusal


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _live(request: HttpRequest, case: Case, user: User, *, status: int, bound: PanelView | None = None,
          flash: str = "", flash_tone: str = "success") -> HttpResponse:
    context = case_context(case, user, bound=bound, flash=flash)
    context["flash_tone"] = flash_tone
    return render(request, "cases/_live_response.html", context, status=status)


def _refused(request: HttpRequest, case: Case, user: User, message: str, status: int = 409) -> HttpResponse:
    if _htmx(request):
        fresh = selectors.case_get_for_user(user, case.public_id, audit=False)
        return _live(request, fresh, user, status=status, flash=message, flash_tone="danger")
    return render(request, "errors/domain.html", {"message": message}, status=status)


def _done(request: HttpRequest, case: Case, user: User, message: str) -> HttpResponse:
    try:
        fresh = selectors.case_get_for_user(user, case.public_id, audit=False)
    except NotFoundOrForbidden:  # the action took the case out of this user's sight
        messages.success(request, message)
        if _htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("cases:queue")
            return response
        return redirect("cases:queue")
    if _htmx(request):
        return _live(request, fresh, user, status=200, flash=message)
    messages.success(request, message)
    return redirect("cases:detail", public_id=case.public_id)


def _invalid(request: HttpRequest, case: Case, user: User, bound: PanelView) -> HttpResponse:
    if _htmx(request):
        return _live(request, case, user, status=422, bound=bound, flash="请按提示修改后重新提交。",
                     flash_tone="danger")
    return render(request, "cases/detail.html", case_context(case, user, bound=bound), status=422)


def handle(request: HttpRequest, panel: Panel, public_id: Any) -> HttpResponse:
    user = office_user(request)
    case = selectors.case_get_for_user(user, public_id, audit=False)  # 404 outside scope; the action is audited
    facts = CaseFacts.of(case)
    reason = refusal(panel, case, user, facts)
    if reason is not None:
        return _refused(request, case, user, reason)
    if request.method != "POST":
        form, context = build_form(panel, case, user, facts)
        view = PanelView(panel, form, context, open=True, url=panel.url(case))
        if _htmx(request):  # a deferred panel of the case page being opened: its body only
            return render(request, "cases/_panel_body.html", {"case": case, "p": view})
        return render(request, "cases/action_page.html", {"case": case, "p": view})
    form, context = build_form(panel, case, user, facts, request.POST, request.FILES)
    if form.is_valid():
        try:
            message = panel.perform(user, case, form)
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        except NotFoundOrForbidden:
            raise
        except DomainError as exc:
            return _refused(request, case, user, exc.message, exc.http_status)
        else:
            return _done(request, case, user, message)
    return _invalid(request, case, user, PanelView(panel, form, context, open=True, url=panel.url(case)))


def _make_view(panel: Panel) -> View:
    def action_view(request: HttpRequest, public_id: str) -> HttpResponse:
        return handle(request, panel, public_id)

    action_view.__name__ = action_view.__qualname__ = f"case_{panel.name}"
    action_view.__doc__ = f"{panel.title}（{panel.name}）"
    return office_view(panel.roles)(action_view)


ACTION_VIEWS: dict[str, View] = {panel.name: _make_view(panel) for panel in PANELS}
