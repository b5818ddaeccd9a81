"""Shared builders for the custody tests: organs of the city fixture's districts and forwardings through the
services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from fayuan.conftest import make_user
from fayuan.custody import services
from fayuan.org.models import Organ, OrganKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def police(city: Any, district: str = "a") -> Any:
    """A police bureau of district A (or B) and its liaison account."""
    d, center = (city.district_a, city.center_a) if district == "a" else (city.district_b, city.center_b)
    organ = Organ.objects.create(name=f"{d.name}公安分局", kind=OrganKind.POLICE, district=d, center=center)
    return make_user(f"police_{district}", "organ_liaison", organ=organ)


def detention(city: Any) -> Any:
    organ = Organ.objects.create(name="京口区看守所", kind=OrganKind.DETENTION_CENTER, district=city.district_a,
                                 center=city.center_a)
    return make_user("detention_a", "organ_liaison", organ=organ)


def record(actor: Any, received_at: dt.datetime | None = None, *, now: dt.datetime | None = None,
           forward_now: bool = False, **fields: Any) -> Any:
    data = services.ForwardingInput(name=fields.pop("name", "钱七"),
                                    criminal_stage=fields.pop("stage", "investigation"),
                                    matter_summary=fields.pop("matter_summary", "涉嫌盗窃罪，申请指派辩护律师"),
                                    received_at=received_at, forward_now=forward_now, **fields)
    return services.forwarding_record(actor=actor, data=data, now=now)
