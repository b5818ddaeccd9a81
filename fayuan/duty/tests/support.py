"""Duty fixtures through the services: lawyers with accounts admitted to station A's pool, and a published rota."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fayuan.conftest import make_user
from fayuan.duty import services
from fayuan.org.models import Provider, ProviderKind

D = dt.date
OCTOBER = D(2025, 10, 1)  # National Day and Mid-autumn 1-8 October; Saturday 11 October is a make-up workday


def lawyer(city: Any, name: str, seq: int, *, years: int = 5) -> Any:
    provider = Provider.objects.create(name=name, kind=ProviderKind.LAWYER, license_number=f"132112000000{seq:05d}",
                                       home_center=city.center_a, practice_since=D(2025 - years, 1, 1))
    return make_user(f"duty_{seq}", "duty_lawyer", provider=provider)


def seasoned(city: Any) -> Any:
    """The shared duty lawyer (duty_a), given the years the shipped admission criterion asks for."""
    user = city.user("duty_a")
    Provider.objects.filter(pk=user.provider_id).update(practice_since=D(2015, 1, 1))
    user.provider.refresh_from_db()
    return user


def admit(city: Any, station: Any, *users: Any, on: dt.date | None = None) -> None:
    on = on or D(2025, 1, 1)
    for user in users:
        services.pool_admit(actor=city.user("reviewer_a"), station_id=station.pk, provider_id=user.provider_id,
                            admitted_on=on, assessment_result="passed", has_sanction=False)


def pool_of_three(city: Any) -> list[Any]:
    """duty_a and two more lawyers in station A's pool."""
    users = [seasoned(city), lawyer(city, "赵律师", 101), lawyer(city, "钱律师", 102)]
    admit(city, city.station_a, *users)
    return users


class DutyWorld:
    """For the access matrix: duty_a and 赵律师 in station A's pool, next month's rota published, one of duty_a's
    duties with a pending swap to 赵律师."""

    def __init__(self, city: Any) -> None:
        from django.utils import timezone

        from fayuan.duty.models import Duty, DutyPoolMember

        duty_user, other = seasoned(city), lawyer(city, "赵律师", 101)
        today = timezone.localdate()
        admit(city, city.station_a, duty_user, other, on=today)
        self.month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        reviewer = city.user("reviewer_a")
        services.rota_generate(actor=reviewer, month=self.month)
        services.rota_publish(actor=reviewer, month=self.month)
        self.duty = Duty.objects.filter(provider_id=duty_user.provider_id).order_by("date").first()
        self.swap = services.swap_request(actor=duty_user, duty_id=self.duty.pk, replacement_id=other.provider_id,
                                          reason="出庭冲突")
        self.member = DutyPoolMember.objects.get(station=city.station_a, provider_id=duty_user.provider_id)


def duty_world(city: Any) -> DutyWorld:
    if getattr(city, "duty_world", None) is None:
        city.duty_world = DutyWorld(city)
    return city.duty_world


JANUARY = D(2027, 1, 1)


def published_next(city: Any, month: dt.date) -> list[Any]:
    """Station A's pool of three, ``month``'s rota generated and published."""
    users = pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=month)
    services.rota_publish(actor=city.user("reviewer_a"), month=month)
    return users
