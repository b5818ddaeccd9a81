"""Password sign-in lockout that stops guessing and cannot be turned against the account holder (docs/signin.md).

Failed passwords are counted three ways over the cool-off window (django-axes' ``AccessAttempt`` rows, one per
username, address and browser):

- per **account**, across addresses: one account guessed from many addresses;
- per **address**, across accounts: one password sprayed over many accounts from one address;
- per **account and address** together: someone at the account holder's own desk.

Before any lock the account is **slowed down**: from the third failure each further try must wait longer (5 s,
10 s, 20 s … up to 5 minutes), answered with "请稍后再试" and the wait, without checking the password. Every lock
lifts by itself when the cool-off has passed since the last failure counted.

What keeps an attacker from locking a colleague out: the per-account slow-down and lock do not apply at an address
from which the account has signed in successfully within the last 30 days (a "known address"), so guessing one
username from many addresses cannot keep its owner out of the office PC they always use. The per-address and the
per-account-and-address counts still apply there, so a known address gains no unlimited guesses.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from fayuan.core.client_ip import client_ip

# axes compares one number with one limit; ours are three. The handler reports the highest share of its own limit
# any count has reached, in percent, against AXES_FAILURE_LIMIT = 100.
SCORE_LIMIT = 100


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    per_account_and_address: int
    throttle_after: int
    throttle_base_seconds: int
    throttle_max_seconds: int
    known_address_days: int


def limits() -> Limits:
    cfg: dict[str, int] = settings.SIGNIN_LOCKOUT
    return Limits(cfg["PER_ACCOUNT"], cfg["PER_ADDRESS"], cfg["PER_ACCOUNT_AND_ADDRESS"], cfg["THROTTLE_AFTER"],
                  cfg["THROTTLE_BASE_SECONDS"], cfg["THROTTLE_MAX_SECONDS"], cfg["KNOWN_ADDRESS_DAYS"])


@dataclass(frozen=True)
class Failures:
    account: int
    address: int
    pair: int
    account_last: dt.datetime | None


# --- Pure rules -------------------------------------------------------------------------------------------------
def lock_score(failures: Failures, *, known_address: bool, rules: Limits) -> int:
    """The highest share (percent) of its limit any count has reached; ``SCORE_LIMIT`` or more is a lock."""
    shares = [failures.address * 100 // rules.per_address, failures.pair * 100 // rules.per_account_and_address]
    if not known_address:
        shares.append(failures.account * 100 // rules.per_account)
    return max(shares)


def throttle_delay(failures: int, rules: Limits) -> int:
    """Seconds to wait after the last failure before the next try: none until ``throttle_after`` failures, then
    doubling from ``throttle_base_seconds`` up to ``throttle_max_seconds``."""
    if failures < rules.throttle_after:
        return 0
    return int(min(rules.throttle_base_seconds * 2 ** (failures - rules.throttle_after), rules.throttle_max_seconds))


def throttle_wait(failures: int, since_last: float, rules: Limits) -> int:
    """Whole seconds still to wait (0: go ahead)."""
    return max(0, math.ceil(throttle_delay(failures, rules) - since_last))


# --- Reads --------------------------------------------------------------------------------------------------------
def failures_since(*, username: str | None, ip: str | None, since: dt.datetime) -> Failures:
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    totals = recent.aggregate(
        account=Sum("failures_since_start", filter=Q(username=username)),
        address=Sum("failures_since_start", filter=Q(ip_address=ip)),
        pair=Sum("failures_since_start", filter=Q(username=username, ip_address=ip)),
        account_last=Max("attempt_time", filter=Q(username=username)),
    )
    return Failures(totals["account"] or 0, totals["address"] or 0, totals["pair"] or 0, totals["account_last"])


def is_known_address(*, username: str | None, ip: str | None, rules: Limits) -> bool:
    """Has this account signed in successfully from this address lately? (axes' AccessLog: one row per sign-in.)"""
    if not username or not ip:
        return False
    since = timezone.now() - dt.timedelta(days=rules.known_address_days)
    return AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


def signin_wait_seconds(request: HttpRequest, username: str) -> int:
    """How long the password form must wait before trying ``username`` again from this request's address."""
    rules = limits()
    ip = client_ip(request)
    if is_known_address(username=username, ip=ip, rules=rules):
        return 0
    now = timezone.now()
    failures = failures_since(username=username, ip=ip, since=now - _cool_off())
    if failures.account_last is None:
        return 0
    return throttle_wait(failures.account, (now - failures.account_last).total_seconds(), rules)


def _cool_off() -> dt.timedelta:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return cool_off if cool_off is not None else dt.timedelta(hours=1)


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the three counts and the known-address exemption above.

    Recording is axes' own (one ``AccessAttempt`` row per username, address and browser). Only the decision
    differs; and a success resets the failures of that account at that address alone: a success must not wipe the
    per-address count (a sprayer would sign in to their own account to start again) nor what others did elsewhere.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        rules = limits()
        username = get_client_username(request, credentials)
        ip = getattr(request, "axes_ip_address", None)
        failures = failures_since(username=username, ip=ip, since=get_cool_off_threshold(request))
        return lock_score(failures, known_address=is_known_address(username=username, ip=ip, rules=rules),
                          rules=rules)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(username=user.get_username(), ip_address=request.axes_ip_address).delete()
