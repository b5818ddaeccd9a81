"""Two-factor sign-in: the second step, recovery codes, the gate on every office page and the API session, the
security administrator's reset, the idle timeout and changing one's own password."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fayuan.accounts import twofactor
from fayuan.accounts.models import Authenticator
from fayuan.accounts.testing import sign_in, totp_code, totp_device
from fayuan.conftest import PASSWORD
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.models import AuditEntry


def _password_step(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def _recovery_codes(user) -> list[str]:
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = ["aaaa2222bb", "cccc3333dd"]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def test_an_enrolled_account_is_asked_for_its_code_and_a_wrong_code_is_counted_and_audited(client, city):
    device = totp_device(city.user("reviewer_a"))
    _password_step(client, "reviewer_a")
    page = client.get(reverse("cases:queue"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("otp_verify") + "?next=")
    wrong = client.post(reverse("otp_verify"), {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    failed = AuditEntry.objects.filter(action="login_failed", actor_username="reviewer_a").latest("seq")
    assert failed.detail["factor"] == "otp"
    # django-otp's throttle: right after a failure even the right code must wait (1 s, 2 s, 4 s …).
    too_soon = client.post(reverse("otp_verify"), {"token": totp_code(device)})
    assert "秒后再试" in too_soon.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        ok = client.post(reverse("otp_verify"), {"token": totp_code(device), "next": reverse("cases:queue")})
        assert ok.status_code == 302 and ok["Location"] == reverse("cases:queue")
        assert client.get(reverse("cases:queue")).status_code == 200
    assert AuditEntry.objects.filter(action="login", actor_username="reviewer_a", detail__factor="otp").exists()


def test_a_recovery_code_works_once(client, city):
    user = city.user("director_a")
    totp_device(user)
    codes = _recovery_codes(user)
    _password_step(client, "director_a")
    assert client.post(reverse("otp_verify"), {"token": codes[0].upper()}).status_code == 302
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200 and "恢复码仅剩 1 个" in home.content.decode()
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    entry = AuditEntry.objects.filter(action="login", actor_username="director_a", detail__factor="otp").latest("seq")
    assert entry.detail["device"] == "recovery_code" and entry.detail["recovery_codes_left"] == 1
    again = Client()
    _password_step(again, "director_a")
    refused = again.post(reverse("otp_verify"), {"token": codes[0]})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert again.get(reverse("accounts:home")).status_code == 302


@pytest.mark.parametrize("path", ["/office/", "/office/cases/", "/office/admin/", "/office/audit/",
                                  "/office/account/password/", "/office/security/otp/"])
def test_a_password_only_session_reaches_no_office_page(client, city, path):
    client.force_login(city.user("sysadmin"))  # the password step only
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_enrol") + "?next=")


def test_an_htmx_request_of_a_password_only_session_is_sent_to_the_second_step(client, city):
    totp_device(city.user("reviewer_a"))
    client.force_login(city.user("reviewer_a"))
    response = client.get(reverse("cases:queue"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("otp_verify"))


def test_the_api_refuses_a_password_only_session_but_takes_a_verified_one(city):
    browser = Client()
    browser.force_login(city.user("reviewer_a"))
    assert browser.get("/api/v1/people").status_code == 401
    verified = Client()
    sign_in(verified, city.user("reviewer_a"))
    assert verified.get("/api/v1/people").status_code == 200


def test_enrolment_keeps_one_secret_until_confirmed_and_refuses_a_wrong_code(client, city):
    user = city.user("clerk_a")
    _password_step(client, "clerk_a")
    first = client.get(reverse("otp_enrol")).content.decode()
    assert 'data-testid="otp-qr"' in first and "<svg" in first
    assert client.get(reverse("otp_enrol")).status_code == 200
    device = Authenticator.objects.get(user=user)  # reloading the page made no second device
    right = totp_code(device)
    wrong = client.post(reverse("otp_enrol"), {"token": "123456" if right != "123456" else "654321"})
    assert "验证码不正确" in wrong.content.decode()
    assert not Authenticator.objects.get(pk=device.pk).confirmed
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        done = client.post(reverse("otp_enrol"), {"token": totp_code(device)})
        assert done.status_code == 200 and 'data-testid="recovery-codes"' in done.content.decode()
        assert Authenticator.objects.get(pk=device.pk).confirmed
        assert StaticToken.objects.filter(device__user=user).count() == 10
        assert client.get(reverse("accounts:home")).status_code == 200  # the session is verified at once
        # Enrolled: the page now leads to the second step, never to a second secret.
        assert client.get(reverse("otp_enrol"))["Location"].startswith(reverse("otp_verify"))


def test_the_security_administrator_resets_a_second_factor(client, city):
    reviewer = city.user("reviewer_a")
    victim_session = Client()
    sign_in(victim_session, reviewer)
    assert victim_session.get(reverse("accounts:home")).status_code == 200
    _recovery_codes(reviewer)
    sign_in(client, city.user("secadmin"))
    listing = client.get(reverse("accounts:otp_accounts")).content.decode()
    assert 'data-testid="otp-reset-reviewer_a"' in listing
    assert 'data-testid="otp-reset-auditor"' not in listing and 'data-testid="otp-reset-secadmin"' not in listing
    assert 'data-testid="otp-reset-applicant"' not in listing
    response = client.post(reverse("accounts:otp_reset", args=[reviewer.pk]))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    entry = AuditEntry.objects.filter(action="delete", detail__purpose="otp_reset").latest("seq")
    assert entry.actor_username == "secadmin" and entry.object_id == str(reviewer.pk) and entry.detail["devices"] == 2
    # The reviewer's open session must enrol again at its next request; so must their next sign-in.
    again = victim_session.get(reverse("accounts:home"))
    assert again.status_code == 302 and again["Location"].startswith(reverse("otp_enrol"))


@pytest.mark.parametrize("target", ["secadmin", "auditor", "applicant"])
def test_the_security_administrator_cannot_reset_their_own_or_the_auditors_factor(client, city, target):
    sign_in(client, city.user("secadmin"))
    user = city.user(target)
    if target != "applicant":
        totp_device(user)
    assert client.post(reverse("accounts:otp_reset", args=[user.pk])).status_code == 404
    assert Authenticator.objects.filter(user=user).count() == (0 if target == "applicant" else 1)
    with pytest.raises(NotFoundOrForbidden):
        twofactor.otp_reset(actor=city.user("secadmin"), user=user)


@pytest.mark.parametrize("actor", ["sysadmin", "auditor", "reviewer_a", "bureau"])
def test_nobody_but_the_security_administrator_resets_a_second_factor(client, city, actor):
    target = city.user("clerk_a")
    totp_device(target)
    sign_in(client, city.user(actor))
    assert client.get(reverse("accounts:otp_accounts")).status_code == 404
    assert client.post(reverse("accounts:otp_reset", args=[target.pk])).status_code == 404
    assert Authenticator.objects.filter(user=target).exists()
    with pytest.raises(NotFoundOrForbidden):
        twofactor.otp_reset(actor=city.user(actor), user=target)


def test_an_idle_office_session_is_signed_out(client, city, settings):
    settings.OFFICE_IDLE_TIMEOUT_SECONDS = 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, city.user("reviewer_a"))
        assert client.get(reverse("accounts:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("accounts:home")).status_code == 200  # activity moves the clock on
    with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("accounts:home"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert client.get(reverse("accounts:home")).status_code == 302  # signed out, not just redirected once
    entry = AuditEntry.objects.filter(action="logout", actor_username="reviewer_a").latest("seq")
    assert entry.detail == {"reason": "idle"}


def test_the_public_site_has_its_own_idle_timeout(client, city, settings):
    settings.OFFICE_IDLE_TIMEOUT_SECONDS = 30 * 60
    settings.PORTAL_IDLE_TIMEOUT_SECONDS = 2 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, city.user("applicant"))
        assert client.get(reverse("portal:my")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=45), tick=False):
        assert client.get(reverse("portal:my")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=45 + 121), tick=False):
        response = client.get(reverse("portal:my"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("portal:signin"))


def test_an_applicant_needs_no_second_factor(client, city):
    client.force_login(city.user("applicant"))
    assert client.get(reverse("portal:my")).status_code == 200


def test_changing_ones_own_password(client, city):
    user = city.user("provider_a")
    sign_in(client, user)
    url = reverse("accounts:password_change")
    assert "修改密码" in client.get(url).content.decode()
    wrong_old = client.post(url, {"old_password": "nope", "new_password1": "Ruo-Mima-2026x",
                                  "new_password2": "Ruo-Mima-2026x"})
    assert "原密码不正确" in wrong_old.content.decode()
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200  # the validators of AUTH_PASSWORD_VALIDATORS are in force
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(url, {"old_password": PASSWORD, "new_password1": "Xin-Mima-2026-ok",
                             "new_password2": "Xin-Mima-2026-ok"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xin-Mima-2026-ok")
    assert client.get(reverse("accounts:home")).status_code == 200  # the session (and its second factor) is kept
    entry = AuditEntry.objects.filter(action="update", actor_username="provider_a").latest("seq")
    assert entry.detail == {"field": "password", "purpose": "own_password_change"}
    assert "Xin-Mima" not in str(entry.detail)


def test_the_admin_shows_no_second_factor(client, city):
    from django.contrib import admin

    assert not admin.site.is_registered(Authenticator) and not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    sign_in(client, city.user("sysadmin"))
    assert client.get("/office/admin/otp_totp/totpdevice/").status_code == 404


def test_the_second_step_shows_no_menu_only_the_way_out(client, city):
    """Before the second factor every menu link would lead back to it: the page offers the code and sign-out."""
    totp_device(city.user("reviewer_a"))
    _password_step(client, "reviewer_a")
    page = client.get(reverse("otp_verify")).content.decode()
    assert reverse("cases:queue") not in page and reverse("accounts:password_change") not in page
    assert reverse("logout") in page
    sign_in(client, city.user("reviewer_a"))
    assert reverse("cases:queue") in client.get(reverse("accounts:home")).content.decode()


def test_the_authenticator_secret_is_encrypted_at_rest_and_still_verifies(city):
    """Whoever reads the table must not be able to mint codes: the row holds a Fernet token, not the hex secret
    django-otp's TOTPDevice would keep."""
    from django.db import connection

    device = totp_device(city.user("reviewer_a"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key_encrypted FROM accounts_authenticator WHERE id = %s", [device.pk])
        (stored,) = cursor.fetchone()
    assert device.key not in stored and len(device.key) == 40
    assert device.verify_token(totp_code(device)) is True
    assert device.verify_token(totp_code(device)) is False  # the same code twice: django-otp's replay guard
