"""Never one lawyer in two places on one day, under real concurrency (PostgreSQL): the unique constraint on
(provider, date) of active duties refuses the second of two approvals that each passed their own checks."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.errors import Conflict
from fayuan.duty import services
from fayuan.duty.models import Duty, SwapStatus
from fayuan.org.models import Station, StationType

from .support import admit, lawyer, seasoned


def _next_month() -> tuple[dt.date, dt.date]:
    """The first and last days of next month: ahead of the test's today, so the swaps are of future duties."""
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _two_stations_one_free_lawyer(city):
    month, month_end = _next_month()
    second = Station.objects.create(name="京口区看守所工作站", type=StationType.DETENTION_CENTER,
                                    center=city.center_a, district=city.district_a, address="看守所",
                                    latitude=Decimal("32.2"), longitude=Decimal("119.4"), has_duty_lawyer=True)
    a, b, c = seasoned(city), lawyer(city, "赵律师", 101), lawyer(city, "钱律师", 102)
    admit(city, city.station_a, a, c)
    admit(city, second, b, c)
    reviewer = city.user("reviewer_a")
    # c is on leave all month: a holds station A and b the detention center every working day.
    services.unavailability_record(actor=reviewer, provider_id=c.provider_id, start_on=month,
                                   end_on=month_end, reason="休假")
    services.rota_generate(actor=reviewer, month=month)
    services.rota_publish(actor=reviewer, month=month)
    day = Duty.objects.filter(provider_id=a.provider_id).order_by("date").last().date
    swaps = [services.swap_request(actor=u, duty_id=Duty.objects.get(provider_id=u.provider_id, date=day).pk,
                                   replacement_id=c.provider_id, reason="临时出差") for u in (a, b)]
    return c, day, swaps


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_swap_approvals_to_one_lawyer_on_one_day_one_is_refused(city):
    c, day, swaps = _two_stations_one_free_lawyer(city)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(swap_id, username):
        try:
            barrier.wait()
            services.swap_decide(actor=User.objects.get(username=username), swap_id=swap_id, approve=True)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(s.pk, name))
               for s, name in zip(swaps, ("reviewer_a", "director_a"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert any("不能同日在两处值班" in r for r in results), results
    assert Duty.objects.filter(provider_id=c.provider_id, date=day, active=True).count() == 1
    assert sorted(s.status for s in type(swaps[0]).objects.all()) == [SwapStatus.APPROVED, SwapStatus.PENDING]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_insert_of_the_same_lawyer_and_day_is_refused_by_the_database(city):
    c, day, _ = _two_stations_one_free_lawyer(city)
    a_duty = Duty.objects.filter(date=day, station=city.station_a).get()
    Duty.objects.create(rota=a_duty.rota, station=a_duty.station, provider_id=c.provider_id, date=day,
                        active=False)  # an inactive (swapped-away) row does not count
    barrier = threading.Barrier(2)
    outcome: list[str] = []

    def insert(station_id):
        try:
            with transaction.atomic():
                barrier.wait()
                Duty.objects.filter(station_id=station_id, date=day, active=True).update(active=False)
                Duty.objects.create(rota=a_duty.rota, station_id=station_id, provider_id=c.provider_id, date=day)
            outcome.append("ok")
        except IntegrityError:
            outcome.append("refused")
        finally:
            connections.close_all()

    stations = list(Duty.objects.filter(date=day, active=True).values_list("station_id", flat=True))
    threads = [threading.Thread(target=insert, args=(s,)) for s in stations]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome) == ["ok", "refused"]
    assert Duty.objects.filter(provider_id=c.provider_id, date=day, active=True).count() == 1
