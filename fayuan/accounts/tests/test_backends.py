"""Permissions come from the role alone (三员分立): never from a group or a per-user grant."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from fayuan.accounts.backends import SIGN_IN_BACKEND

pytestmark = pytest.mark.django_db


def test_the_sign_in_backend_named_in_code_is_the_configured_one():
    assert SIGN_IN_BACKEND in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


def test_a_group_or_user_permission_opens_nothing(city):
    reviewer = city.user("reviewer_a")
    change_user = Permission.objects.get(codename="change_user")
    group = Group.objects.create(name="admins")
    group.permissions.add(change_user)
    reviewer.groups.add(group)
    reviewer.user_permissions.add(Permission.objects.get(codename="change_center"))
    assert not reviewer.has_perm("accounts.change_user")
    assert not reviewer.has_perm("org.change_center")
    assert not reviewer.has_module_perms("org")


def test_the_system_administrator_has_the_master_data_but_not_djangos_auth_tables(city):
    sysadmin = city.user("sysadmin")
    assert not sysadmin.is_superuser
    assert sysadmin.has_perm("org.change_center") and sysadmin.has_perm("accounts.add_user")
    assert not sysadmin.has_perm("auth.change_group") and not sysadmin.has_module_perms("auth")
    for key in ("secadmin", "auditor"):
        assert not city.user(key).has_perm("org.change_center")
