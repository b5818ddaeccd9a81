"""The security administrator's pages and the auditor's list of grants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts import services
from fayuan.accounts.models import RoleGrant
from fayuan.accounts.roles import Role
from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_user
from fayuan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_security_admin_grants_a_reviewer_for_center_a_on_the_page(client, city):
    newcomer = make_user("newcomer", "")
    sign_in(client, city.user("secadmin"))
    page = client.get(reverse("security:account", args=[newcomer.pk]))
    assert "授予或变更角色" in page.content.decode()
    response = client.post(reverse("security:grant", args=[newcomer.pk]), {
        "role": Role.CENTER_REVIEWER, "center": city.center_a.pk, "reason": "京司任〔2026〕12号"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.role, newcomer.center) == (Role.CENTER_REVIEWER, city.center_a)
    grant = RoleGrant.objects.get(user=newcomer)
    assert AuditEntry.objects.filter(object_type="accounts.rolegrant", object_id=str(grant.pk),
                                     actor_username="secadmin").exists()
    assert "已为" in client.get(response["Location"]).content.decode()


def test_granting_oneself_shows_a_clear_message_and_changes_nothing(client, city):
    secadmin = city.user("secadmin")
    sign_in(client, secadmin)
    response = client.post(reverse("security:grant", args=[secadmin.pk]), {
        "role": Role.CENTER_REVIEWER, "center": city.center_a.pk, "reason": "自己授权"})
    assert response.status_code == 403
    assert "不能为自己授予或变更角色" in response.content.decode()
    secadmin.refresh_from_db()
    assert (secadmin.role, secadmin.center) == (Role.SECURITY_ADMIN, None)
    assert not RoleGrant.objects.exists()


def test_the_auditor_role_is_not_offered_and_a_forged_post_is_refused(client, city):
    newcomer = make_user("newcomer", "")
    sign_in(client, city.user("secadmin"))
    page = client.get(reverse("security:grant", args=[newcomer.pk])).content.decode()
    assert 'value="auditor"' not in page and 'value="security_admin"' not in page
    response = client.post(reverse("security:grant", args=[newcomer.pk]), {"role": Role.AUDITOR, "reason": "设立"})
    assert response.status_code == 422
    newcomer.refresh_from_db()
    assert newcomer.role == "" and not RoleGrant.objects.exists()


def test_a_missing_scope_is_shown_next_to_the_form(client, city):
    newcomer = make_user("newcomer", "")
    sign_in(client, city.user("secadmin"))
    response = client.post(reverse("security:grant", args=[newcomer.pk]), {
        "role": Role.STATION_CLERK, "reason": "授权"})
    assert response.status_code == 422
    assert "须选择所属工作站" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.role == ""


def test_revoke_on_the_page(client, city):
    reviewer = city.user("reviewer_a")
    sign_in(client, city.user("secadmin"))
    response = client.post(reverse("security:revoke", args=[reviewer.pk]), {"reason": "离职"})
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.center) == ("", None)


def test_applicant_accounts_are_not_listed_nor_reachable(client, city):
    sign_in(client, city.user("secadmin"))
    listing = client.get(reverse("security:accounts")).content.decode()
    assert "reviewer_a" in listing and ">applicant<" not in listing
    assert client.get(reverse("security:account", args=[city.user("applicant").pk])).status_code == 404
    assert client.get(reverse("security:account", args=[10**30])).status_code == 404


def test_the_account_list_filters_pending_accounts(client, city):
    make_user("newcomer", "")
    sign_in(client, city.user("secadmin"))
    listing = client.get(reverse("security:accounts"), {"role": "pending"}).content.decode()
    assert "newcomer" in listing and "reviewer_a" not in listing


@pytest.mark.parametrize("username", ["sysadmin", "auditor", "reviewer_a", "director_a", "bureau", "applicant"])
@pytest.mark.parametrize("name", ["security:accounts", "security:account", "security:grant", "security:revoke"])
def test_other_roles_get_404_on_the_security_pages(client, city, username, name):
    sign_in(client, city.user(username))
    args = [] if name == "security:accounts" else [city.user("clerk_a").pk]
    url = reverse(name, args=args)
    assert client.get(url).status_code == 404
    if name in ("security:grant", "security:revoke"):
        assert client.post(url, {"role": Role.CENTER_REVIEWER, "center": city.center_a.pk,
                                 "reason": "越权"}).status_code == 404
    clerk = city.user("clerk_a")
    clerk.refresh_from_db()
    assert clerk.role == Role.STATION_CLERK


def test_grants_appear_on_the_auditors_page_and_reading_it_is_audited(client, city):
    newcomer = make_user("newcomer", "")
    services.role_grant(actor=city.user("secadmin"), user=newcomer, role=Role.CENTER_REVIEWER,
                        center=city.center_a, reason="京司任〔2026〕12号")
    services.role_revoke(actor=city.user("secadmin"), user=city.user("clerk_b"), reason="离职")
    sign_in(client, city.user("auditor"))
    page = client.get(reverse("audit:grants")).content.decode()
    assert "newcomer" in page and "京司任〔2026〕12号" in page and "中心审查人员" in page and "clerk_b" in page
    filtered = client.get(reverse("audit:grants"), {"user": "newcomer"}).content.decode()
    assert "newcomer" in filtered and "clerk_b" not in filtered
    by_actor = client.get(reverse("audit:grants"), {"user": "secadmin"}).content.decode()
    assert "newcomer" in by_actor and "clerk_b" in by_actor
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    later = client.get(reverse("audit:grants"), {"since": tomorrow}).content.decode()
    assert "newcomer" not in later and "没有授权记录" in later
    assert AuditEntry.objects.filter(actor_username="auditor", object_type="accounts.rolegrant",
                                     action="read").count() == 4


def test_an_account_awaiting_a_grant_signs_in_to_a_page_that_says_so(client, city):
    sign_in(client, make_user("newcomer", ""))
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200 and "尚未被授予角色" in page.content.decode()
    assert client.get(reverse("people:list")).status_code == 404
