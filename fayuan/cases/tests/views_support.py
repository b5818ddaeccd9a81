"""Shared helpers of the case screen tests: a fixed clock, a temporary media root, provider accounts, and cases
reached through the services (never by writing ``status``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.cases import services
from fayuan.cases.models import Case

from .conftest import receive

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "case-live"}


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(MONDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lawyers(city: Any, providers: list[Any]) -> list[Any]:
    """Sign-in accounts for the three test lawyers of center A (provider_a has one already)."""
    for i, provider in enumerate(providers[:3]):
        User.objects.create_user(username=f"lawyer{i}", password="x" * 12, role="provider", provider=provider)
    return providers


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def station_case(city: Any) -> Case:
    """Received by clerk_a at station A: the clerk, center A and the bureau see it."""
    return receive(city, actor="clerk_a", applicant_id=city.person_station_a.public_id)


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.public_id])


def as_user(client: Any, city: Any, key: str) -> Any:
    sign_in(client, city.user(key))
    return client


def provider_user(case: Case) -> User:
    case.refresh_from_db()
    return User.objects.get(provider=case.provider)


def granted_case(city: Any) -> Case:
    case = receive(city)
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    case.refresh_from_db()
    return case


def assigned_to(city: Any, case: Case, key: str = "provider_a") -> Case:
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id,
                         provider_id=city.user(key).provider_id, reason="测试指定承办人员")
    case.refresh_from_db()
    return case
