"""The public self-check is limited per address (fixed one-minute windows); identified callers are not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from fayuan.api.ratelimit import hit

from .conftest import ApiClient, token_for

pytestmark = pytest.mark.urls("fayuan.api.test_urls")
BODY = {"district_code": "321102", "application_date": "2026-03-01", "case_type": "civil", "matter": "wages",
        "household_size": 3, "household_monthly_income": "6000.00"}
# Ten seconds into a minute, so the window cannot roll over in the middle of a test.
START = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)


def check(client: ApiClient, address: str, body: Any = BODY) -> Any:
    return client.post("/eligibility/check", body, REMOTE_ADDR=address)


@pytest.fixture
def limit_of_three(settings: Any) -> None:
    settings.ELIGIBILITY_RATE_LIMIT = 3


def test_fourth_call_in_a_minute_from_one_address_is_429(city, anonymous, limit_of_three):
    with time_machine.travel(START, tick=False):
        assert [check(anonymous, "10.0.0.1").status_code for _ in range(3)] == [200, 200, 200]
        refused = check(anonymous, "10.0.0.1")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert refused.json()["detail"] == "请求过于频繁，请在 50 秒后再试。"
        assert check(anonymous, "10.0.0.2").status_code == 200


def test_the_next_window_starts_afresh(city, anonymous, limit_of_three):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            check(anonymous, "10.0.0.1")
        clock.shift(dt.timedelta(seconds=55))
        assert check(anonymous, "10.0.0.1").status_code == 200


def test_malformed_requests_count_too(city, anonymous, limit_of_three):
    with time_machine.travel(START, tick=False):
        assert [check(anonymous, "10.0.0.3", {"household_size": 0}).status_code for _ in range(3)] == [422] * 3
        assert check(anonymous, "10.0.0.3").status_code == 429


def test_a_client_with_a_token_is_not_limited(city, limit_of_three):
    system = ApiClient(Client(), token_for(city.user("bureau")))
    with time_machine.travel(START, tick=False):
        assert {check(system, "10.0.0.4").status_code for _ in range(5)} == {200}


def test_a_wrong_token_on_the_open_endpoint_is_401_not_anonymous(city):
    response = check(ApiClient(Client(), "not-a-token"), "10.0.0.5")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_limit_zero_turns_the_limit_off(db):
    assert all(hit("t", "10.0.0.6", limit=0) is None for _ in range(100))


def test_limit_defaults_to_sixty(city, anonymous):
    with time_machine.travel(START, tick=False):
        codes = [check(anonymous, "10.0.0.7").status_code for _ in range(61)]
    assert codes.count(200) == 60 and codes[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(city, anonymous, limit_of_three, settings):
    settings.TRUSTED_PROXIES = ["10.9.9.9"]

    def via_proxy(client_address: str) -> int:
        return anonymous.post("/eligibility/check", BODY, REMOTE_ADDR="10.9.9.9",
                              HTTP_X_FORWARDED_FOR=client_address).status_code

    with time_machine.travel(START, tick=False):
        assert [via_proxy("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
        assert via_proxy("198.51.100.2") == 200  # not one limit for the whole city


def test_a_spoofed_forwarded_header_does_not_escape_the_limit(city, anonymous, limit_of_three, settings):
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    with time_machine.travel(START, tick=False):
        codes = [anonymous.post("/eligibility/check", BODY, REMOTE_ADDR="203.0.113.5",
                                HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(4)]
        assert codes == [200, 200, 200, 429]
