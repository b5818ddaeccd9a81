"""A prison station under center A (district A) with two video rooms, its clerk, and a second prison under center B."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fayuan.conftest import make_user
from fayuan.org.models import Station, StationType
from fayuan.prison_visits.services import BookingInput, appointment_book, room_add


def make_prison(city: Any, center: Any, district: Any, name: str) -> Station:
    return Station.objects.create(name=name, type=StationType.PRISON, center=center, district=district,
                                  address="监狱会见中心", latitude=Decimal("32.1"), longitude=Decimal("119.5"))


@pytest.fixture
def prison(city: Any) -> Any:
    city.prison = make_prison(city, city.center_a, city.district_a, "京口监狱法律援助工作站")
    city.prison_b = make_prison(city, city.center_b, city.district_b, "丹阳监狱法律援助工作站")
    city.users["prison_clerk"] = make_user("prison_clerk", "station_clerk", station=city.prison)
    city.room1 = room_add(actor=city.user("reviewer_a"), station_id=city.prison.pk, name="视频会见室一")
    city.room2 = room_add(actor=city.user("reviewer_a"), station_id=city.prison.pk, name="视频会见室二")
    city.room_b = room_add(actor=city.user("reviewer_b"), station_id=city.prison_b.pk, name="会见室")
    return city


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def booking(city: Any, *, room: Any = None, provider: Any = None, start: dt.datetime | None = None,
            minutes: int = 60, **over: Any) -> BookingInput:
    start = start or at(3, 9)
    room = room or city.room1
    data = {"station_id": room.station_id, "room_id": room.pk,
            "provider_id": (provider or city.user("provider_a").provider).pk, "starts_at": start,
            "ends_at": start + dt.timedelta(minutes=minutes), "inmate_name": "孙某某", "inmate_number": "3201123456",
            "matter": "刑满释放后户籍恢复"}
    data.update(over)
    return BookingInput(**data)


def book(city: Any, actor: str = "reviewer_a", **kw: Any) -> Any:
    return appointment_book(actor=city.user(actor), data=booking(city, **kw))
