"""The system administrator in the admin after 三员分立: accounts as records only. It makes accounts without a role,
cannot set a role, a scope, ``is_staff``/``is_superuser`` or groups, cannot set the password of an account that
opens data, and cannot change the auditor's or the security administrator's account at all. A superuser flag
changes none of this."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.accounts.testing import sign_in
from fayuan.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

USERS = "/office/admin/accounts/user/"
NEW_PASSWORD = "Sysadmin-chose-this-2026"


@pytest.fixture(params=["sysadmin", "superuser"])
def admin_client(request: Any, city: Any) -> Client:
    """The conftest system administrator, and one made by ``createsuperuser`` (is_superuser=True): same answers."""
    client = Client()
    if request.param == "sysadmin":
        sign_in(client, city.user("sysadmin"))
    else:
        sign_in(client, User.objects.create_superuser("root", None, "Root-password-2026"))
    return client


def _change_data(user: User, **overrides: Any) -> dict[str, Any]:
    # date_joined: the old admin's form required it; here it is read-only and ignored.
    data = {"username": user.username, "display_name": user.display_name, "first_name": "", "last_name": "",
            "email": "", "is_active": "on" if user.is_active else "", "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_a_new_account_gets_no_role_whatever_the_post_says(admin_client, city):
    response = admin_client.post(f"{USERS}add/", {
        "username": "sneaky", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "display_name": "新人", "role": "center_reviewer", "center": str(city.center_a.pk), "is_superuser": "on",
        "is_staff": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    made = User.objects.get(username="sneaky")
    assert (made.role, made.center, made.is_staff, made.is_superuser) == ("", None, False, False)


def test_the_change_form_ignores_role_scope_and_flags(admin_client, city):
    pending = make_user("pending", "")
    group = Group.objects.create(name="everything")
    response = admin_client.post(f"{USERS}{pending.pk}/change/", _change_data(
        pending, display_name="改了名字", role="center_reviewer", center=str(city.center_a.pk), is_staff="on",
        is_superuser="on", groups=[str(group.pk)]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.display_name == "改了名字"  # the record is the system administrator's to keep
    assert (pending.role, pending.center, pending.is_staff, pending.is_superuser) == ("", None, False, False)
    assert not pending.groups.exists()


def test_a_reviewer_cannot_be_moved_to_another_center(admin_client, city):
    reviewer = city.user("reviewer_b")
    response = admin_client.post(f"{USERS}{reviewer.pk}/change/", _change_data(
        reviewer, center=str(city.center_a.pk), role="center_director"))
    assert response.status_code == 302  # saved: the name and contact fields are the system administrator's
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.center) == (Role.CENTER_REVIEWER, city.center_b)


@pytest.mark.parametrize("target", ["auditor", "secadmin", "reviewer_a", "provider_a"])
def test_the_password_of_an_officer_or_a_data_account_cannot_be_set(admin_client, city, target):
    user = city.user(target)
    url = f"{USERS}{user.pk}/password/"
    assert admin_client.get(url).status_code == 403
    response = admin_client.post(url, {"usable_password": "true", "password1": NEW_PASSWORD,
                                       "password2": NEW_PASSWORD, "set_usable_password": "true"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(NEW_PASSWORD)


def test_the_password_of_an_account_awaiting_a_grant_can_be_set(admin_client, city):
    pending = make_user("pending", "")
    response = admin_client.post(f"{USERS}{pending.pk}/password/", {
        "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.check_password(NEW_PASSWORD)
    # Who set whose password is in the audit chain (the password itself nowhere).
    from fayuan.core.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(pending.pk)).latest("seq")
    assert entry.detail == {"fields": ["password"], "via": "admin"} and NEW_PASSWORD not in str(entry.detail)


@pytest.mark.parametrize("target", ["auditor", "secadmin"])
def test_the_auditors_and_security_admins_accounts_are_view_only(admin_client, city, target):
    user = city.user(target)
    assert admin_client.get(f"{USERS}{user.pk}/change/").status_code == 200
    response = admin_client.post(f"{USERS}{user.pk}/change/", _change_data(user, is_active="", display_name="x"))
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active and user.display_name == ""
    assert admin_client.post(f"{USERS}{user.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_a_data_account_can_be_deactivated_but_not_reactivated(admin_client, city):
    reviewer = city.user("reviewer_a")
    assert admin_client.post(f"{USERS}{reviewer.pk}/change/", _change_data(reviewer, is_active="")
                             ).status_code == 302
    reviewer.refresh_from_db()
    assert not reviewer.is_active
    admin_client.post(f"{USERS}{reviewer.pk}/change/", _change_data(reviewer, is_active="on"))
    reviewer.refresh_from_db()
    assert not reviewer.is_active  # turning access back on is a grant: the security administrator's


def test_a_data_account_cannot_be_deleted(admin_client, city):
    reviewer = city.user("reviewer_a")
    assert admin_client.post(f"{USERS}{reviewer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=reviewer.pk).exists()


def test_groups_are_not_in_the_admin(admin_client):
    assert admin_client.get("/office/admin/auth/group/").status_code == 404


def test_master_data_stays_the_system_administrators(admin_client, city):
    assert admin_client.get("/office/admin/org/center/").status_code == 200
    assert admin_client.get(f"/office/admin/org/center/{city.center_a.pk}/change/").status_code == 200
    assert admin_client.get("/office/admin/eligibility/").status_code == 200


def test_an_applicants_sms_number_is_out_of_the_admins_reach(admin_client, city):
    """The public site adopts the applicant account whose SMS number signs in: writing one's own number on an
    applicant's account would open their applications to the system administrator."""
    from fayuan.notifications.models import ContactPreference

    applicant = city.user("applicant")
    assert admin_client.post("/office/admin/notifications/contactpreference/add/", {
        "user": str(applicant.pk), "phone": "13912345678", "sms_enabled": "on"}).status_code == 200  # refused
    assert not ContactPreference.objects.filter(user=applicant).exists()
    pref = ContactPreference(user=applicant)
    pref.phone = "13800000009"  # stored encrypted (ProtectedPhone)
    pref.save()
    admin_client.post(f"/office/admin/notifications/contactpreference/{pref.pk}/change/", {
        "user": str(applicant.pk), "phone": "13912345678", "sms_enabled": "on"})
    pref.refresh_from_db()
    assert pref.phone == "13800000009"
    # A staff member's reminder number stays the system administrator's to keep.
    reviewer = city.user("reviewer_a")
    assert admin_client.post("/office/admin/notifications/contactpreference/add/", {
        "user": str(reviewer.pk), "phone": "13912345678", "sms_enabled": "on"}).status_code == 302


def test_the_admin_holds_no_applicant_case_or_sign_in_records():
    """三员分立: the system administrator keeps master data. Ratings and consents name applicants' cases, change
    requests are case records, axes' logs are every sign-in's username and address: none of them is in the admin."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.apps import apps
    from django.contrib import admin

    from fayuan.cases.models import ProviderChangeRequest
    from fayuan.portal.models import Consent, Rating

    for model in (Rating, Consent, ProviderChangeRequest, AccessAttempt, AccessFailureLog, AccessLog):
        assert not admin.site.is_registered(model), model._meta.label
    # No model of the case, person or audit apps is editable there either, besides the assignment setting.
    exposed = {m._meta.label for m in admin.site._registry if m._meta.app_label in {"cases", "people", "portal"}}
    assert exposed <= {"cases.ClientChoiceSettings", "people.PersonTag"}, exposed
    assert apps.is_installed("axes")
