from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from fayuan.core.forms import OfficeForm

from .lockout import signin_wait_seconds
from .models import User
from .roles import GRANTABLE_ROLES, Role
from .rules import SCOPE_FIELDS

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


def _scope_model(field: str) -> Any:
    # The org models, reached through the User's own links: accounts sits below org in the import floors.
    return User._meta.get_field(field).related_model


class RoleGrantForm(OfficeForm):
    """Parses a grant; ``services.role_grant`` owns every rule and its Chinese message."""

    role = forms.ChoiceField(label="角色", choices=[("", "请选择")] + [(r.value, r.label) for r in Role
                                                                       if r in GRANTABLE_ROLES])
    center = forms.ModelChoiceField(label="所属中心", queryset=_scope_model("center").objects.none(), required=False,
                                    help_text="中心审查人员、中心主任填写。")
    station = forms.ModelChoiceField(label="所属工作站", queryset=_scope_model("station").objects.none(),
                                     required=False, help_text="工作站人员填写。")
    organ = forms.ModelChoiceField(label="所属办案机关", queryset=_scope_model("organ").objects.none(),
                                   required=False, help_text="办案机关联络人填写。")
    provider = forms.ModelChoiceField(label="对应法律援助人员", queryset=_scope_model("provider").objects.none(),
                                      required=False, help_text="法律援助人员、值班律师填写。")
    district = forms.ModelChoiceField(label="所属司法行政部门（区、县级市）",
                                      queryset=_scope_model("district").objects.none(), required=False,
                                      help_text="区、县级市司法局的监管人员填写；市司法局留空。")
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如任职文件文号、岗位调整。记入审计日志。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SCOPE_FIELDS:
            model = _scope_model(name)
            field = cast(forms.ModelChoiceField, self.fields[name])  # type: ignore[type-arg]
            field.queryset = model.objects.order_by("pk")


class RoleRevokeForm(OfficeForm):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如离职、调岗。记入审计日志。")
