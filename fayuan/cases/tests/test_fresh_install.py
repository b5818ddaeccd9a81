"""A production install: migrations only, no demo. The first administrator (``createsuperuser``) sets up a center and
an account in the admin; the first security administrator (``create_officer``, on the server) grants that account
the center's reviewer role (三员分立); and the reviewer takes an application that the engine judges against the
minimum wage the migrations loaded, the one in force on the day of receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from fayuan.accounts.models import User
from fayuan.accounts.testing import mark_verified
from fayuan.cases import services
from fayuan.conftest import valid_id
from fayuan.org.models import Center, District
from fayuan.people.services import person_register

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "Fresh-install-admin-2026"
SECADMIN_PASSWORD = "Fresh-install-secadmin-2026"
REVIEWER_PASSWORD = "Fresh-install-reviewer-2026"
TZ = ZoneInfo(settings.TIME_ZONE)
# (last day of a standard, first day of the next, the two monthly amounts): shared/DOMAIN.md §3, tier 1.
WAGE_CHANGES = [
    (dt.date(2021, 7, 31), dt.date(2021, 8, 1), "2020.00", "2280.00"),
    (dt.date(2023, 12, 31), dt.date(2024, 1, 1), "2280.00", "2490.00"),
    (dt.date(2025, 12, 31), dt.date(2026, 1, 1), "2490.00", "2660.00"),
]


def _signed_in(username: str, password: str) -> Client:
    client = Client()
    # Axes needs the request to count failures; the test client does not pass one by itself.
    assert client.login(request=HttpRequest(), username=username, password=password), username
    mark_verified(client, User.objects.get(username=username))  # the second factor, as after a correct code
    return client


def _admin_post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    if response.status_code != 302:
        form = response.context["adminform"].form
        pytest.fail(f"{url}: {response.status_code} {form.errors.as_json()}")


def _set_up_center_and_reviewer(monkeypatch: pytest.MonkeyPatch) -> User:
    assert not (User.objects.exists() or Center.objects.exists())  # migrations only
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", ADMIN_PASSWORD)
    call_command("createsuperuser", interactive=False, username="admin", email="admin@example.gov.cn",
                 verbosity=0)
    admin = _signed_in("admin", ADMIN_PASSWORD)
    assert admin.get("/office/admin/").status_code == 200  # the admin admits the first account

    jurong = District.objects.get(code="321183")
    _admin_post(admin, "/office/admin/org/center/add/", {
        "name": "句容市法律援助中心", "doc_prefix": "句法援", "level": "district", "district": str(jurong.pk),
        "seat_district": "", "address": "句容市华阳北路", "phone": "", "latitude": "", "longitude": "",
    })
    center = Center.objects.get(name="句容市法律援助中心")
    _admin_post(admin, "/office/admin/accounts/user/add/", {
        "username": "jurong_reviewer", "usable_password": "true", "password1": REVIEWER_PASSWORD,
        "password2": REVIEWER_PASSWORD, "display_name": "句容审查员",
    })
    reviewer = User.objects.get(username="jurong_reviewer")
    assert reviewer.role == ""  # the system administrator makes the account; the role is another officer's grant
    monkeypatch.setenv("FAYUAN_OFFICER_PASSWORD", SECADMIN_PASSWORD)
    call_command("create_officer", "--role", "security_admin", "--username", "secadmin", verbosity=0)
    secadmin = _signed_in("secadmin", SECADMIN_PASSWORD)
    response = secadmin.post(f"/office/security/accounts/{reviewer.pk}/grant/", {
        "role": "center_reviewer", "center": str(center.pk), "reason": "句容中心审查岗位"})
    assert response.status_code == 302, response.content.decode()[:2000]
    reviewer.refresh_from_db()
    assert (reviewer.role, reviewer.center) == ("center_reviewer", center)
    assert _signed_in("jurong_reviewer", REVIEWER_PASSWORD).get("/office/").status_code == 200
    return reviewer


def test_an_admin_sets_up_a_center_whose_reviewer_is_judged_by_the_wage_of_the_receipt_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reviewer = _set_up_center_and_reviewer(monkeypatch)
    for seq, (before, after, old, new) in enumerate(WAGE_CHANGES):
        # One person earning between the two standards: refused the day before the change, eligible from it.
        income = (Decimal(old) + Decimal(new)) / 2
        person = person_register(actor=reviewer, name=f"申请人{seq}", id_number=valid_id(31 + 2 * seq, area="321183"))
        for day, amount, eligible in ((before, old, False), (after, new, True)):
            case = services.case_receive(
                actor=reviewer, received_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ),
                data=services.ApplicationInput(
                    applicant_id=person.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
                    household_size=1, household_monthly_income=income,
                ),
            )
            assessment = services.case_assess(actor=reviewer, public_id=case.public_id)
            standard = assessment.result["standard"]
            assert standard["monthly_limit_per_capita"] == amount, day
            assert dt.date.fromisoformat(standard["effective_from"]) <= day, day
            assert (assessment.eligible, assessment.result["means_test"]) == \
                (eligible, "passed" if eligible else "failed"), day
            means = next(c for c in assessment.result["criteria"] if c["code"] == "means_test")
            assert "江苏省最低工资标准" in means["basis"], day
