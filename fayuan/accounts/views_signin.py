"""The second step of signing in, the enrolment of an authenticator, changing one's own password, and the
security administrator's reset of someone's second factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView, redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id

from . import selectors, twofactor
from .access import office_user, office_view
from .models import Authenticator, User
from .roles import OFFICE_ROLES, SECURITY_ADMIN_ROLES


class CodeForm(Form):
    token = forms.CharField(label="验证码", max_length=32, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("accounts:home")


def _pending_user(request: HttpRequest) -> User | None:
    """The office account that has passed its password but not yet its second factor."""
    user = request.user
    if not twofactor.needs_second_factor(user):
        return None
    return cast(User, user)


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect_to_login(_next(request))
    if twofactor.is_verified(user):
        return redirect(_next(request))
    if twofactor.confirmed_totp(user) is None:
        return redirect(reverse("otp_enrol") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.otp_verify(actor=user, token=form.cleaned_data["token"], request=request)
        if result.ok:
            if result.recovery_codes_left is not None and result.recovery_codes_left <= 2:
                messages.warning(request, f"您的恢复码仅剩 {result.recovery_codes_left} 个，"
                                          "请联系安全管理员重置双因素并重新绑定。")
            return redirect(_next(request))
        form.add_error("token", result.message)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect_to_login(_next(request))
    if twofactor.confirmed_totp(user) is not None:
        return redirect(reverse("otp_verify") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = twofactor.totp_enrol_confirm(actor=user, token=form.cleaned_data["token"], request=request)
        if enrolment is not None:
            # Shown once, on this response only: the codes are not kept anywhere the page could show them again.
            return render(request, "accounts/otp_recovery_codes.html",
                          {"codes": enrolment.recovery_codes, "next": _next(request)})
        form.add_error("token", twofactor.MSG_ENROL_WRONG)
    device = twofactor.totp_enrol_start(actor=user)
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "next": _next(request), "qr_svg": twofactor.totp_qr_svg(device),
        "secret": twofactor.totp_secret_base32(device),
    })


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = "至少 10 位，不能全是数字，不能与用户名相近或过于常见。"
        self.fields["new_password2"].label = "再次输入新密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class OwnPasswordChangeView(PasswordChangeView):
    """Django's view: the validators of ``AUTH_PASSWORD_VALIDATORS`` apply and the session survives the change
    (``update_session_auth_hash``); here with the office's template, Chinese text and an audit entry."""

    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user = cast(User, self.request.user)
        audit_record(actor=user, action=AuditAction.UPDATE, obj=user,
                     detail={"field": "password", "purpose": "own_password_change"})
        messages.success(self.request, "密码已修改。")
        return response


password_change = office_view(OFFICE_ROLES)(cast("Callable[..., HttpResponse]", OwnPasswordChangeView.as_view()))


@office_view(SECURITY_ADMIN_ROLES)
def otp_accounts(request: HttpRequest) -> HttpResponse:
    actor = office_user(request)
    accounts = list(twofactor.otp_reset_candidates(actor=actor).select_related("center", "station"))
    enrolled = set(Authenticator.objects.filter(user__in=accounts, confirmed=True)
                   .values_list("user_id", flat=True))
    rows = [{"user": account, "enrolled": account.pk in enrolled} for account in accounts]
    return render(request, "accounts/otp_accounts.html", {"rows": rows})


@office_view(SECURITY_ADMIN_ROLES)
@require_POST
def otp_reset(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = office_user(request)
    target = selectors.account_get_for_security(parse_id(user_id))  # 404 for an applicant or an unknown id
    twofactor.otp_reset(actor=actor, user=target)
    messages.success(request, f"已重置 {target} 的双因素认证：该账户下次登录时须重新绑定身份验证器。")
    return redirect("accounts:otp_accounts")
