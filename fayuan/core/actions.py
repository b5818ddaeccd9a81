"""A small action posted from a record's page (a date, a reason) that answers with a message on the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .errors import DomainError


def posted_action(request: HttpRequest, form_class: type[forms.Form], *, back: str, invalid: str,
                  perform: Callable[[dict[str, Any]], str], refused_prefix: str = "") -> HttpResponse:
    """GET goes back to ``back``. Invalid input (``invalid``) or the service's refusal (its Chinese message) is shown
    there and changes nothing; on success ``perform`` (the one service call) returns the message to show."""
    if request.method != "POST":
        return redirect(back)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect(back)
    try:
        done = perform(form.cleaned_data)
    except DomainError as exc:
        messages.error(request, f"{refused_prefix}{exc.message}")
    else:
        messages.success(request, done)
    return redirect(back)
