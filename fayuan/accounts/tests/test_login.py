import pytest
from django.urls import reverse

from fayuan.conftest import PASSWORD
from fayuan.core.models import AuditEntry

ROLE_USERS = ["applicant", "clerk_a", "reviewer_a", "director_a", "provider_a", "duty_a", "organ_a", "bureau",
              "sysadmin", "auditor"]


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_role_signs_in_and_reaches_its_own_home(client, city, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    role = city.user(username).role
    assert f'data-testid="home-{role}"' in response.content.decode()
    assert AuditEntry.objects.filter(actor_username=username, action="login").exists()


def test_wrong_password_gives_chinese_message(client, city):
    response = client.post(reverse("login"), {"username": "reviewer_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    failed = AuditEntry.objects.filter(action="login_failed").latest("seq")
    assert failed.detail == {"username": "reviewer_a"} and "wrong" not in str(failed.detail)


def test_repeated_failures_lock_the_account(client, city, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "reviewer_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "reviewer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()


def test_logout_is_audited(client, city):
    client.force_login(city.user("reviewer_a"))
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(actor_username="reviewer_a", action="logout").exists()
