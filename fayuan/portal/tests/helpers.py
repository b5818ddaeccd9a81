"""Helpers for the portal tests: sign in through the development SMS outbox, and fill an application through the
pages, as a phone would."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fayuan.accounts.models import User
from fayuan.conftest import valid_id
from fayuan.notifications.sms import LoggingSMSBackend
from fayuan.portal.services import otp

URLS = "fayuan.portal.tests.urls"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 256


def last_code(phone: str) -> str:
    message = next(m for m in reversed(LoggingSMSBackend.outbox) if m.phone == phone)
    found = re.search(r"\d{6}", message.text)
    assert found, message.text
    return found.group(0)


def sign_in_user(capture: Any, phone: str, ip: str = "10.0.0.1") -> User:
    """Through the services: request a code, read it from the development outbox, verify it."""
    with capture(execute=True):
        assert otp.otp_request(phone=phone, ip=ip).ok
    result = otp.otp_verify(phone=phone, code=last_code(phone), ip=ip)
    assert result.ok and result.user is not None
    return result.user


def who_data(name: str = "钱七", id_number: str | None = None, **extra: Any) -> dict[str, Any]:
    data = {"on_behalf": "self", "self_name": name, "self_id_number": id_number or valid_id(31), "self_address": ""}
    data.update(extra)
    return data


def matter_data(**extra: Any) -> dict[str, Any]:
    data = {"case_type": "civil", "matter": "wages", "matter_summary": "追索劳动报酬",
            "opposing_party": "某建筑公司", "facts": "老板拖欠三个月工资。"}
    data.update(extra)
    return data


def means_data(**extra: Any) -> dict[str, Any]:
    data = {"household_size": "3", "household_monthly_income": "3000", "income_pledge": "on"}
    data.update(extra)
    return data


def errors(response: Any) -> str:
    text = response.content.decode()
    return " | ".join(re.findall(r'role="alert"[^>]*>(.*?)<', text)) or text[:500]


def fill_application(c: Client, *, who: dict[str, Any] | None = None, matter: dict[str, Any] | None = None,
                     where: dict[str, Any], means: dict[str, Any] | None = None,
                     uploads: tuple[tuple[str, str, bytes], ...] = (("id_document", "id.jpg", JPEG),)) -> None:
    """Walk the steps through the pages, asserting that each one moves on."""
    r = c.post("/apply/")
    assert r.status_code == 302
    r = c.post("/apply/consent/", {"agree": "on", "action": "next"})
    assert r.status_code == 302 and r["Location"].endswith("/apply/who/"), errors(r)
    for step, data, nxt in (("who", who or who_data(), "matter"), ("matter", matter or matter_data(), "where"),
                            ("where", where, "means"), ("means", means or means_data(), "files")):
        r = c.post(f"/apply/{step}/", {**data, "action": "next"})
        assert r.status_code == 302 and r["Location"].endswith(f"/apply/{nxt}/"), (step, errors(r))
    for kind, name, content in uploads:
        r = c.post("/apply/files/", {"action": "upload", "kind": kind,
                                     "files": SimpleUploadedFile(name, content, content_type="image/jpeg")})
        assert r.status_code == 302, errors(r)
    r = c.post("/apply/files/", {"action": "next"})
    assert r["Location"].endswith("/apply/confirm/")
