"""``manage.py create_officer``: the only way to make, or reset, a security administrator or an auditor."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client

from fayuan.accounts.models import GrantKind, RoleGrant, User
from fayuan.accounts.roles import Role
from fayuan.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FIRST = "Officer-first-2026"
SECOND = "Officer-second-2026"


def _run(monkeypatch: pytest.MonkeyPatch, password: str, *args: str) -> None:
    monkeypatch.setenv("FAYUAN_OFFICER_PASSWORD", password)
    call_command("create_officer", *args, verbosity=0)


def _signs_in(username: str, password: str) -> bool:
    return Client().login(request=HttpRequest(), username=username, password=password)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SECURITY_ADMIN])
def test_makes_an_officer_then_resets_its_password_with_a_record_of_each(monkeypatch, role):
    _run(monkeypatch, FIRST, "--role", role, "--username", "officer")
    officer = User.objects.get(username="officer")
    assert (officer.role, officer.is_staff, officer.is_superuser) == (role, False, False)
    assert _signs_in("officer", FIRST)
    _run(monkeypatch, SECOND, "--role", role, "--username", "officer", "--reason", "密码遗失")
    assert _signs_in("officer", SECOND) and not _signs_in("officer", FIRST)
    kinds = list(RoleGrant.objects.filter(user=officer).order_by("id").values_list("kind", "actor", "reason"))
    assert kinds == [(GrantKind.BOOTSTRAP, None, "服务器上设立/重置（manage.py create_officer）"),
                     (GrantKind.RESET, None, "密码遗失")]
    assert AuditEntry.objects.filter(object_type="accounts.rolegrant").count() == 2


def test_an_existing_account_of_another_role_is_never_turned_into_an_officer(monkeypatch, city):
    for username, role in (("sysadmin", Role.AUDITOR), ("auditor", Role.SECURITY_ADMIN),
                           ("reviewer_a", Role.AUDITOR)):
        with pytest.raises(CommandError, match="新账户"):
            _run(monkeypatch, FIRST, "--role", role, "--username", username)
        assert User.objects.get(username=username).role != role
    assert not RoleGrant.objects.exists()


def test_refuses_other_roles_and_weak_passwords(monkeypatch):
    with pytest.raises(CommandError):
        _run(monkeypatch, FIRST, "--role", Role.SYSTEM_ADMIN, "--username", "x")
    with pytest.raises(CommandError):
        _run(monkeypatch, "123", "--role", Role.AUDITOR, "--username", "x")
    assert not User.objects.filter(username="x").exists()


def test_an_officer_who_leaves_is_deactivated_on_the_server_and_the_account_is_never_reused(monkeypatch, city):
    call_command("create_officer", "--role", Role.AUDITOR, "--username", "auditor", "--deactivate", verbosity=0)
    auditor = User.objects.get(username="auditor")
    assert (auditor.role, auditor.is_active) == (Role.AUDITOR, False)
    assert RoleGrant.objects.get(user=auditor).kind == GrantKind.DEACTIVATE
    with pytest.raises(CommandError):
        call_command("create_officer", "--role", Role.SECURITY_ADMIN, "--username", "auditor", "--deactivate",
                     verbosity=0)
    with pytest.raises(CommandError, match="新账户"):
        _run(monkeypatch, FIRST, "--role", Role.SECURITY_ADMIN, "--username", "auditor")
