"""Sign-in with a phone number and an SMS code. The pages read the same whether or not the number is known.

Between the two steps the number waits in the session, encrypted; it never appears in a URL.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fayuan.accounts.backends import SIGN_IN_BACKEND
from fayuan.core.client_ip import client_ip
from fayuan.core.crypto import decrypt_text, encrypt_text
from fayuan.notifications.sms import mask_phone

from .forms import PortalForm
from .services import otp

SESSION_PHONE = "portal_signin_phone"
SESSION_NEXT = "portal_signin_next"


class PhoneForm(PortalForm):
    phone = forms.CharField(label="手机号码", max_length=20, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "tel", "placeholder": "11 位手机号码"}))


class CodeForm(PortalForm):
    code = forms.CharField(label="短信验证码", max_length=8, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "6 位数字"}))


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("portal:my")


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "role", "") == "applicant":
        return redirect(_safe_next(request, request.GET.get("next")))
    form = PhoneForm(request.POST or None)
    message = ""
    if request.method == "POST" and form.is_valid():
        result = otp.otp_request(phone=form.cleaned_data["phone"], ip=client_ip(request))
        if result.field:
            form.add_error("phone", result.message)
        else:
            normal = otp.normalise_phone(form.cleaned_data["phone"]) or ""
            request.session[SESSION_PHONE] = encrypt_text(normal)
            request.session[SESSION_NEXT] = _safe_next(request, request.POST.get("next"))
            if result.ok:
                return redirect("portal:signin_verify")
            message = result.message
    return render(request, "portal/account/signin.html", {
        "form": form, "message": message, "next": request.GET.get("next", "") or request.POST.get("next", ""),
    })


def _session_phone(request: HttpRequest) -> str:
    token = request.session.get(SESSION_PHONE)
    return decrypt_text(token) if token else ""


@require_http_methods(["GET", "POST"])
def signin_verify(request: HttpRequest) -> HttpResponse:
    phone = _session_phone(request)
    if not phone:
        return redirect("portal:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = otp.otp_verify(phone=phone, code=form.cleaned_data["code"], ip=client_ip(request))
        if result.ok and result.user is not None:
            target = request.session.get(SESSION_NEXT) or reverse("portal:my")
            login(request, result.user, backend=SIGN_IN_BACKEND)
            return redirect(_safe_next(request, target))
        form.add_error("code", result.message)
    return render(request, "portal/account/verify.html", {"form": form, "phone_masked": mask_phone(phone),
                                                        "max_per_phone": otp.max_per_phone()})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")
