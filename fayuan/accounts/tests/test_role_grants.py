"""Separation of duties (三员分立): the security administrator grants roles and scopes through ``role_grant`` and
``role_revoke``; nobody grants to themselves, nobody grants the auditor or the security administrator in the
application, no account holds two officer roles (not even one after the other); every change is audited."""

from __future__ import annotations

import pytest

from fayuan.accounts import rules, services
from fayuan.accounts.models import GrantKind, RoleGrant, User
from fayuan.accounts.roles import BOOTSTRAP_ONLY_ROLES, GRANTABLE_ROLES, OFFICER_ROLES, Role
from fayuan.conftest import make_user
from fayuan.core.audit import verify_chain
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _pending(username: str = "newcomer") -> User:
    return make_user(username, "")


def _state(user: User) -> tuple[object, ...]:
    user.refresh_from_db()
    return (user.role, user.center_id, user.station_id, user.provider_id, user.district_id, user.is_active,
            user.is_staff, user.is_superuser)


# --- the pure rules ------------------------------------------------------------------------------------------------

def test_no_officer_role_is_grantable_but_the_system_administrators():
    officers = GRANTABLE_ROLES & OFFICER_ROLES
    assert officers == {Role.SYSTEM_ADMIN}
    assert Role.APPLICANT not in GRANTABLE_ROLES


@pytest.mark.parametrize(("role", "given", "ok"), [
    (Role.CENTER_REVIEWER, {"center": True}, True),
    (Role.CENTER_REVIEWER, {}, False),
    (Role.CENTER_REVIEWER, {"center": True, "station": True}, False),
    (Role.STATION_CLERK, {"station": True}, True),
    (Role.PROVIDER, {"provider": True}, True),
    (Role.BUREAU_SUPERVISOR, {}, True),
    (Role.BUREAU_SUPERVISOR, {"district": True}, True),
    (Role.SYSTEM_ADMIN, {"center": True}, False),
    (Role.SYSTEM_ADMIN, {}, True),
])
def test_each_role_takes_exactly_its_scope(role, given, ok):
    assert (rules.scope_problems(role, given) == []) is ok


@pytest.mark.parametrize("role", sorted(OFFICER_ROLES - {Role.SYSTEM_ADMIN}))
def test_an_account_that_ever_held_another_officer_role_cannot_become_system_administrator(role):
    refusal = rules.grant_refusal(actor_id=1, actor_role=Role.SECURITY_ADMIN, user_id=2, user_role="",
                                  role=Role.SYSTEM_ADMIN, officers_held={role})
    assert refusal and "不同账户" in refusal


# --- the services --------------------------------------------------------------------------------------------------

def test_security_admin_grants_a_reviewer_for_center_a_with_an_audit_entry(city):
    newcomer = _pending()
    grant = services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.CENTER_REVIEWER,
                                center=city.center_a, reason="京司任〔2026〕12号")
    newcomer.refresh_from_db()
    assert (newcomer.role, newcomer.center) == (Role.CENTER_REVIEWER, city.center_a)
    assert (grant.kind, grant.role_before, grant.role_after, grant.actor) == (
        GrantKind.GRANT, "", Role.CENTER_REVIEWER, city.user("secadmin"))
    assert grant.scope_after == {"center": [city.center_a.pk, str(city.center_a)]}
    entry = AuditEntry.objects.get(object_type="accounts.rolegrant", object_id=str(grant.pk))
    assert entry.actor_username == "secadmin"
    assert entry.detail["before"] == {"role": ""}
    assert entry.detail["after"] == {"role": Role.CENTER_REVIEWER, "center": [city.center_a.pk, str(city.center_a)]}
    assert entry.detail["reason"] == "京司任〔2026〕12号"
    assert verify_chain().ok


def test_moving_a_reviewer_to_another_center_records_both_scopes(city):
    reviewer = city.user("reviewer_a")
    grant = services.role_grant(actor=city.user("secadmin"), user=reviewer, role=Role.CENTER_REVIEWER,
                                center=city.center_b, reason="调任丹阳")
    assert grant.scope_before["center"][0] == city.center_a.pk
    assert grant.scope_after["center"][0] == city.center_b.pk


def test_revoke_leaves_an_account_that_opens_nothing(city):
    reviewer = city.user("reviewer_a")
    grant = services.role_revoke(actor=city.user("secadmin"), user=reviewer, reason="离职")
    assert _state(reviewer)[:5] == ("", None, None, None, None)
    assert (grant.kind, grant.role_before, grant.role_after) == (GrantKind.REVOKE, Role.CENTER_REVIEWER, "")
    assert AuditEntry.objects.filter(object_type="accounts.rolegrant", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize("call", ["grant", "revoke"])
def test_nobody_grants_or_revokes_their_own_role(city, call):
    secadmin = city.user("secadmin")
    before, grants = _state(secadmin), RoleGrant.objects.count()
    with pytest.raises(PermissionDenied, match="自己"):
        if call == "grant":
            services.role_grant(actor=secadmin, user=secadmin, role=Role.CENTER_REVIEWER, center=city.center_a,
                                reason="自己给自己")
        else:
            services.role_revoke(actor=secadmin, user=secadmin, reason="自己撤销")
    assert (_state(secadmin), RoleGrant.objects.count()) == (before, grants)


@pytest.mark.parametrize("role", sorted(BOOTSTRAP_ONLY_ROLES))
def test_auditor_and_security_admin_cannot_be_granted_in_the_application(city, role):
    newcomer = _pending()
    with pytest.raises(PermissionDenied, match="create_officer"):
        services.role_grant(actor=city.user("secadmin"), user=newcomer, role=role, reason="设立")
    assert _state(newcomer)[0] == ""
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize("target", ["auditor", "secadmin_2"])
def test_the_auditors_and_security_admins_accounts_cannot_be_changed_in_the_application(city, target):
    other = make_user("secadmin_2", Role.SECURITY_ADMIN) if target == "secadmin_2" else city.user(target)
    before = _state(other)
    with pytest.raises(PermissionDenied, match="服务器"):
        services.role_revoke(actor=city.user("secadmin"), user=other, reason="撤销")
    with pytest.raises(PermissionDenied, match="服务器"):
        services.role_grant(actor=city.user("secadmin"), user=other, role=Role.CENTER_REVIEWER,
                            center=city.center_a, reason="改任")
    assert _state(other) == before


@pytest.mark.parametrize("actor", ["sysadmin", "auditor", "director_a", "bureau"])
def test_only_the_security_admin_grants(city, actor):
    newcomer = _pending()
    with pytest.raises(PermissionDenied, match="只有安全管理员"):
        services.role_grant(actor=city.user(actor), user=newcomer, role=Role.CENTER_REVIEWER,
                            center=city.center_a, reason="授权")
    assert _state(newcomer)[0] == ""


def test_a_former_system_administrator_is_never_made_an_officer_of_another_kind_and_back(city):
    """Officer roles other than the system administrator's are not grantable at all; and an account that once was
    an auditor (set up on the server) and was re-purposed still cannot become a system administrator."""
    secadmin = city.user("secadmin")
    old_auditor = make_user("old_auditor", Role.AUDITOR)
    # The auditor's role is not revocable in the application; simulate a server-side change through the history.
    RoleGrant.objects.create(kind=GrantKind.BOOTSTRAP, user=old_auditor, occurred_at=old_auditor.date_joined,
                             role_before="", role_after=Role.AUDITOR, reason="设立")
    User.objects.filter(pk=old_auditor.pk).update(role="")
    with pytest.raises(PermissionDenied, match="不同账户"):
        services.role_grant(actor=secadmin, user=old_auditor, role=Role.SYSTEM_ADMIN, reason="改任系统管理员")
    assert _state(old_auditor)[0] == ""


def test_a_system_administrator_revoked_and_regranted_as_such_is_fine_but_not_as_security_admin(city):
    secadmin = city.user("secadmin")
    sysadmin = city.user("sysadmin")
    services.role_revoke(actor=secadmin, user=sysadmin, reason="暂停")
    services.role_grant(actor=secadmin, user=sysadmin, role=Role.SYSTEM_ADMIN, reason="恢复")
    assert _state(sysadmin)[0] == Role.SYSTEM_ADMIN
    assert sysadmin.is_staff and not sysadmin.is_superuser
    services.role_revoke(actor=secadmin, user=sysadmin, reason="调岗")
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=secadmin, user=sysadmin, role=Role.SECURITY_ADMIN, reason="改任安全管理员")
    with pytest.raises(PermissionDenied, match="新账户"):
        services.officer_bootstrap(username="sysadmin", role=Role.SECURITY_ADMIN, password="Another-pass-2026x",
                                   reason="改任")
    assert _state(sysadmin)[0] == ""


def test_a_grant_without_its_scope_or_reason_changes_nothing(city):
    newcomer = _pending()
    with pytest.raises(ValidationFailed, match="所属中心"):
        services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.CENTER_REVIEWER, reason="授权")
    with pytest.raises(ValidationFailed, match="理由"):
        services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.CENTER_REVIEWER,
                            center=city.center_a, reason="  ")
    assert _state(newcomer)[0] == "" and not RoleGrant.objects.exists()


def test_a_lawyer_linked_to_another_account_is_refused(city):
    newcomer = _pending()
    with pytest.raises(ValidationFailed, match="provider_a"):
        services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.PROVIDER,
                            provider=city.user("provider_a").provider, reason="授权")
    assert _state(newcomer)[0] == ""


def test_an_applicant_account_is_not_the_security_admins(city):
    with pytest.raises(PermissionDenied, match="公众服务平台"):
        services.role_grant(actor=city.user("secadmin"), user=city.user("applicant"), role=Role.CENTER_REVIEWER,
                            center=city.center_a, reason="授权")


def test_a_grant_never_makes_a_superuser(city):
    newcomer = make_user("root2", "", is_superuser=True, is_staff=True)
    services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.CENTER_DIRECTOR,
                        center=city.center_a, reason="任命")
    assert _state(newcomer)[5:] == (True, False, False)
