"""Helpers for the notice tests: a liaison's notice through the service, as an organ would send it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fayuan.criminal.models import Notice
from fayuan.criminal.services import NoticeInput, notice_receive


def notice_input(**overrides: Any) -> NoticeInput:
    data: dict[str, Any] = dict(kind="defense", name="孙某", stage="trial", ground="life_or_death", charge="故意杀人罪",
                                custody_place_text="京口区看守所", organ_case_number="（2026）苏1102刑初12号")
    data.update(overrides)
    return NoticeInput(**data)


def send_notice(city: Any, key: str = "organ_a", received_at: dt.datetime | None = None,
                **overrides: Any) -> Notice:
    return notice_receive(actor=city.user(key), data=notice_input(**overrides), received_at=received_at)
