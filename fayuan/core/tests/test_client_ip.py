"""The client's address: X-Forwarded-For only through a trusted proxy; everything that counts or records an address
(audit rows, the self-check limit, the SMS limit, the sign-in lockout) reads it from ``client_ip``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from fayuan.conftest import PASSWORD
from fayuan.core.client_ip import client_ip
from fayuan.core.models import AuditEntry
from fayuan.portal.models import OtpChallenge

PROXY = "10.0.0.5"


def address(remote: str, forwarded: str | None = None) -> str | None:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "172.16.0.0/12"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_spoofed_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_through_a_trusted_proxy_the_forwarded_client_is_used(behind_proxy):
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"


def test_the_right_most_untrusted_hop_wins_over_what_the_client_wrote(behind_proxy):
    # The client wrote "1.2.3.4"; nginx appended the real peer; an inner proxy (172.16/12) appended nginx's peer.
    assert address(PROXY, "1.2.3.4, 198.51.100.1, 172.16.4.4") == "198.51.100.1"
    assert address(PROXY, "1.2.3.4,198.51.100.1") == "198.51.100.1"


def test_a_chain_of_proxies_only_falls_back_to_the_peer(behind_proxy):
    assert address(PROXY, "172.16.4.4, 172.20.0.1") == PROXY
    assert address(PROXY) == PROXY


@pytest.mark.parametrize("garbage", ["", "unknown", "1.2.3.999", "<script>", "198.51.100.1, not-an-ip"])
def test_garbage_falls_back_to_the_peer(behind_proxy, garbage):
    assert address(PROXY, garbage) == PROXY


def test_ipv6_and_ports(behind_proxy, settings):
    assert address(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    assert address(PROXY, "198.51.100.7:5555") == "198.51.100.7"
    settings.TRUSTED_PROXIES = ["::1"]
    assert address("::1", "2001:db8::2") == "2001:db8::2"


def test_an_invalid_peer_is_no_address(behind_proxy):
    assert address("not an address", "198.51.100.1") is None


# --- Every reader goes through it ----------------------------------------------------------------------------

def test_audit_rows_record_the_forwarded_client(client, city, behind_proxy):
    client.post(reverse("login"), {"username": "reviewer_a", "password": "wrong"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AuditEntry.objects.filter(action="login_failed").latest("seq").ip_address == "198.51.100.1"


def test_audit_rows_ignore_a_spoofed_header(client, city, behind_proxy):
    client.post(reverse("login"), {"username": "reviewer_a", "password": "wrong"},
                REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AuditEntry.objects.filter(action="login_failed").latest("seq").ip_address == "203.0.113.9"


def test_lockout_counts_per_client_behind_the_proxy(client, city, settings, behind_proxy):
    # One password sprayed over many accounts by one client behind the proxy locks that client's address ...
    for n in range(settings.SIGNIN_LOCKOUT["PER_ADDRESS"]):
        client.post(reverse("login"), {"username": f"nobody{n}", "password": "wrong"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    locked = client.post(reverse("login"), {"username": "reviewer_a", "password": PASSWORD},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.status_code == 429
    # ... not the proxy's: another visitor through the same proxy is a different address, not locked out.
    other = client.post(reverse("login"), {"username": "reviewer_a", "password": PASSWORD},
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


def test_sms_sign_in_records_the_forwarded_client(client, db, behind_proxy):
    client.post(reverse("portal:signin"), {"phone": "13800138000"},
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert list(OtpChallenge.objects.values_list("ip", flat=True)) == ["198.51.100.3"]
