"""``createsuperuser`` makes a system administrator: the admin admits no other role, so the first account of a new
install must hold it (a fresh install is walked through in cases/tests/test_fresh_install.py)."""

import pytest

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_superuser_is_a_system_administrator_unless_told_otherwise():
    made = User.objects.create_superuser("root", "root@example.gov.cn", "Root-password-2026")
    assert (made.role, made.is_staff, made.is_superuser) == (Role.SYSTEM_ADMIN, True, True)
    other = User.objects.create_superuser("auditor", None, "Audit-password-2026", role=Role.AUDITOR)
    assert other.role == Role.AUDITOR


def test_an_ordinary_user_gets_no_role_by_default():
    assert User.objects.create_user("someone").role == ""
