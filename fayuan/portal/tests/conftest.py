"""Portal fixtures on top of the shared city. Until ``fayuan.portal`` is in INSTALLED_APPS these tests are not
collected, so the rest of the suite is not disturbed."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import providers  # noqa: F401  (fixture re-exported for these tests)

if "fayuan.portal" not in settings.INSTALLED_APPS:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def _sms_outbox() -> Any:
    from fayuan.notifications.sms import LoggingSMSBackend

    LoggingSMSBackend.outbox.clear()
    yield
    LoggingSMSBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _portal_context_processor(settings: Any) -> None:
    """The elderly mode's context processor, whether or not config/settings.py lists it yet."""
    processor = "fayuan.portal.context_processors.portal"
    engines = settings.TEMPLATES
    if processor not in engines[0]["OPTIONS"]["context_processors"]:
        first = {**engines[0], "OPTIONS": {**engines[0]["OPTIONS"],
                                           "context_processors": [*engines[0]["OPTIONS"]["context_processors"],
                                                                  processor]}}
        settings.TEMPLATES = [first, *engines[1:]]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone_client(django_capture_on_commit_callbacks: Any) -> Any:
    """A client signed in with a phone number (a new applicant account on first use)."""
    from django.test import Client

    from .helpers import sign_in_user

    def make(phone: str = "13900000001") -> tuple[Any, Any]:
        client = Client()
        user = sign_in_user(django_capture_on_commit_callbacks, phone)
        sign_in(client, user)
        return client, user

    return make
