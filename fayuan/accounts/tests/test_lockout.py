"""The password lockout stops spraying (one password over many accounts) and guessing (one account from many
addresses), slows down before it locks, lifts by itself, and never keeps the account holder out of a desk they
signed in from (fayuan.accounts.lockout)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts import lockout
from fayuan.conftest import PASSWORD
from fayuan.core.models import AuditEntry

HOME = "10.9.9.9"  # the account holder's own desk


def _post(client: Client, username: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _failures(**filters) -> int:
    return AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"] or 0


def _guess_from_many_addresses(client: Client, username: str, count: int, start: dt.datetime) -> dt.datetime:
    """``count`` wrong passwords for ``username``, each from a new address, each after the slow-down's wait.
    Returns the (travelled) time after the last one."""
    rules = lockout.limits()
    now = start
    for n in range(count):
        with time_machine.travel(now, tick=False):
            response = _post(client, username, "wrong", f"203.0.113.{n + 1}")
            # Each is checked and refused; the one that reaches the limit already answers with the lock.
            assert response.status_code == (429 if n + 1 == lockout.limits().per_account else 200), n
        now += dt.timedelta(seconds=lockout.throttle_delay(n + 1, rules) + 1)
    return now


def test_one_password_sprayed_over_many_accounts_from_one_address_is_stopped(client, city, settings):
    per_address = settings.SIGNIN_LOCKOUT["PER_ADDRESS"]
    for n in range(per_address):
        expected = 429 if n + 1 == per_address else 200  # the failure that reaches the limit answers with the lock
        assert _post(client, f"staff{n:03d}", "Spring-2026", "198.51.100.7").status_code == expected
    # The address is locked for every account, even with a right password ...
    assert _post(client, "reviewer_a", PASSWORD, "198.51.100.7").status_code == 429
    # ... and only that address: the same account elsewhere signs in.
    assert _post(Client(), "reviewer_a", PASSWORD, "198.51.100.8").status_code == 302


def test_one_account_guessed_from_many_addresses_is_stopped(client, city, settings):
    per_account = settings.SIGNIN_LOCKOUT["PER_ACCOUNT"]
    after = _guess_from_many_addresses(client, "reviewer_a", per_account, timezone.now())
    with time_machine.travel(after, tick=False):
        locked = _post(client, "reviewer_a", PASSWORD, "192.0.2.200")  # yet another new address
        assert locked.status_code == 429 and "暂时无法从此处登录" in locked.content.decode()
    assert _failures(username="reviewer_a") == per_account
    # The lock is audited (the username only; the address is the entry's own column).
    entry = AuditEntry.objects.filter(action="login_failed", detail__locked_out=True).latest("seq")
    assert entry.detail == {"username": "reviewer_a", "locked_out": True} and entry.ip_address == "192.0.2.200"


def test_an_account_is_slowed_down_before_it_is_locked(client, city, settings):
    start = timezone.now()
    after = settings.SIGNIN_LOCKOUT["THROTTLE_AFTER"]
    with time_machine.travel(start, tick=False):
        for n in range(after):
            _post(client, "clerk_a", "wrong", f"203.0.113.{n + 1}")
        throttled = _post(client, "clerk_a", PASSWORD, "203.0.113.50")
        assert throttled.status_code == 200
        assert "请稍后再试（约 5 秒后）" in throttled.content.decode()
    # The wait checked no password and counted no failure.
    assert _failures(username="clerk_a") == after
    with time_machine.travel(start + dt.timedelta(seconds=6), tick=False):
        _post(client, "clerk_a", "wrong", "203.0.113.51")
        waited = _post(client, "clerk_a", "wrong", "203.0.113.52")
        assert "约 10 秒后" in waited.content.decode()  # the next wait is longer
    with time_machine.travel(start + dt.timedelta(seconds=6 + 11), tick=False):
        assert _post(client, "clerk_a", PASSWORD, "203.0.113.53").status_code == 302  # not locked: slowed


def test_guessing_from_many_addresses_cannot_keep_the_owner_out_of_their_own_desk(city, settings):
    owner = Client()
    assert _post(owner, "reviewer_a", PASSWORD, HOME).status_code == 302  # an earlier, ordinary sign-in
    owner.post(reverse("logout"), REMOTE_ADDR=HOME)
    attacker = Client()
    start = timezone.now()
    after = _guess_from_many_addresses(attacker, "reviewer_a", settings.SIGNIN_LOCKOUT["PER_ACCOUNT"], start)
    with time_machine.travel(after, tick=False):
        assert _post(attacker, "reviewer_a", "still-wrong", "192.0.2.201").status_code == 429
        # The owner at their own desk is neither locked nor slowed down by what others did elsewhere.
        assert _post(owner, "reviewer_a", PASSWORD, HOME).status_code == 302


def test_a_known_address_gets_no_unlimited_guesses(client, city, settings):
    assert _post(Client(), "reviewer_a", PASSWORD, HOME).status_code == 302
    for _ in range(settings.SIGNIN_LOCKOUT["PER_ACCOUNT_AND_ADDRESS"]):
        _post(client, "reviewer_a", "wrong", HOME)
    assert _post(client, "reviewer_a", PASSWORD, HOME).status_code == 429


def test_a_lock_lifts_by_itself_after_the_cool_off(client, city, settings):
    start = timezone.now()
    after = _guess_from_many_addresses(client, "director_a", settings.SIGNIN_LOCKOUT["PER_ACCOUNT"], start)
    with time_machine.travel(after, tick=False):
        assert _post(client, "director_a", PASSWORD, "192.0.2.9").status_code == 429
        # Knocking on the lock does not extend it.
        for _ in range(3):
            _post(client, "director_a", "wrong", "192.0.2.9")
    with time_machine.travel(after + dt.timedelta(minutes=31), tick=False):
        assert _post(Client(), "director_a", PASSWORD, "192.0.2.10").status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_an_address_count(client, city, settings):
    per_address = settings.SIGNIN_LOCKOUT["PER_ADDRESS"]
    for n in range(per_address - 1):
        _post(client, f"staff{n:03d}", "Spring-2026", "198.51.100.9")
    # The sprayer signs in to an account of their own from the same address ...
    assert _post(Client(), "clerk_b", PASSWORD, "198.51.100.9").status_code == 302
    assert _failures(ip_address="198.51.100.9") == per_address - 1
    # ... and the next guess still completes the count.
    _post(client, "staff999", "Spring-2026", "198.51.100.9")
    assert _post(client, "clerk_a", PASSWORD, "198.51.100.9").status_code == 429


def test_a_success_resets_the_accounts_failures_at_that_address(client, city):
    _post(client, "provider_a", "wrong", HOME)
    _post(client, "provider_a", "wrong", "192.0.2.77")
    assert _post(client, "provider_a", PASSWORD, HOME).status_code == 302
    assert _failures(username="provider_a", ip_address=HOME) == 0
    assert _failures(username="provider_a") == 1  # another address's failure is not the holder's to wipe


@pytest.mark.parametrize(("failures", "expected"), [(0, 0), (2, 0), (3, 5), (4, 10), (5, 20), (9, 300), (40, 300)])
def test_the_slow_down_doubles_up_to_five_minutes(failures, expected):
    assert lockout.throttle_delay(failures, lockout.limits()) == expected
