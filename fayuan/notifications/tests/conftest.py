from __future__ import annotations

from typing import Any

import pytest

from fayuan.notifications.sms import LoggingSMSBackend


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Any:
    LoggingSMSBackend.outbox.clear()
    yield
    LoggingSMSBackend.outbox.clear()
