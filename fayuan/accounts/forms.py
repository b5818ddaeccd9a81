from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写；连续多次失败将暂时锁定。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }
