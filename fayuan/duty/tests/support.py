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


def admit(city: Any, station: Any, *users: Any, on: dt.date = D(2025, 1, 1)) -> None:
    for user in users:
        services.pool_admit(actor=city.user("reviewer_a"), station_id=station.pk, provider_id=user.provider_id,
                            admitted_on=on, assessment_result="passed", has_sanction=False)


def pool_of_three(city: Any) -> list[Any]:
    """duty_a and two more lawyers in station A's pool."""
    users = [seasoned(city), lawyer(city, "赵律师", 101), lawyer(city, "钱律师", 102)]
    admit(city, city.station_a, *users)
    return users
