from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .lockout import signin_wait_seconds

MSG_THROTTLED = "登录失败次数较多，请稍后再试（约 {s} 秒后）。"


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写；连续多次失败将暂时锁定。",
        "inactive": "该账户已停用，请联系系统管理员。",
        "throttled": MSG_THROTTLED,
    }

    def clean(self) -> dict[str, Any]:
        # Slow down before any lock (fayuan.accounts.lockout): while the wait runs the password is not even
        # checked, so a wait costs the guesser a try without counting as a failure.
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = signin_wait_seconds(self.request, username)
            if wait:
                raise forms.ValidationError(self.error_messages["throttled"].format(s=wait), code="throttled")
        return super().clean()
