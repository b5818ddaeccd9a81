import base64
import re

import pytest
from django.urls import reverse

from fayuan.accounts.models import Authenticator
from fayuan.accounts.testing import sign_in, totp_code
from fayuan.conftest import PASSWORD
from fayuan.core.models import AuditEntry

OFFICE_USERS = ["clerk_a", "reviewer_a", "director_a", "provider_a", "duty_a", "organ_a", "bureau", "sysadmin",
                "secadmin", "auditor"]


@pytest.mark.parametrize("username", OFFICE_USERS)
def test_every_office_role_signs_in_with_both_factors_and_reaches_its_own_home(client, city, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)
    # The password alone leads to the enrolment of an authenticator, not to the office.
    assert response.status_code == 200
    html = response.content.decode()
    assert "绑定身份验证器" in html and "<svg" in html
    device = Authenticator.objects.get(user=city.user(username), confirmed=False)
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7]+)<', html).group(1)

    assert base64.b32decode(secret) == device.bin_key  # the secret for manual entry is the device's own
    assert client.get(reverse("accounts:home")).status_code == 302
    enrolled = client.post(reverse("otp_enrol") + "?next=/office/", {"token": totp_code(device), "next": "/office/"})
    assert enrolled.status_code == 200
    codes = re.findall(r"<li class=\"col\">([a-z2-7]+)</li>", enrolled.content.decode())
    assert len(codes) == 10
    home = client.get(reverse("accounts:home"))
    role = city.user(username).role
    assert f'data-testid="home-{role}"' in home.content.decode()
    assert AuditEntry.objects.filter(actor_username=username, action="login",
                                     detail__factor="password").exists()
    assert AuditEntry.objects.filter(actor_username=username, action="create", detail__purpose="otp_enrol").exists()


def test_an_applicant_signs_in_with_the_password_alone(client, city):
    response = client.post(reverse("login"), {"username": "applicant", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("portal:my")
    assert not Authenticator.objects.filter(user=city.user("applicant")).exists()
    entry = AuditEntry.objects.filter(actor_username="applicant", action="login").latest("seq")
    assert entry.detail == {}


def test_wrong_password_gives_chinese_message(client, city):
    response = client.post(reverse("login"), {"username": "reviewer_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    failed = AuditEntry.objects.filter(action="login_failed").latest("seq")
    assert failed.detail == {"username": "reviewer_a"} and "wrong" not in str(failed.detail)


def test_logout_is_audited(client, city):
    sign_in(client, city.user("reviewer_a"))
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(actor_username="reviewer_a", action="logout").exists()
