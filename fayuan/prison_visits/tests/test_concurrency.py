"""Never one lawyer or one room in two video consultations at once, under real concurrency (PostgreSQL): two
bookings racing for the same lawyer (or room) at overlapping times end in exactly one appointment, through the
service (its row locks) and around it (the exclusion constraints alone)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connections, transaction
from psycopg.errors import DeadlockDetected

from fayuan.accounts.models import User
from fayuan.core.errors import Conflict
from fayuan.org.models import Provider
from fayuan.prison_visits.models import Appointment
from fayuan.prison_visits.services import LAWYER_CLASH, ROOM_CLASH, appointment_book

from .conftest import at, booking


def _race(jobs: list[Callable[[], Any]]) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            job()
            results.append("ok")
        except Conflict as exc:
            results.append(exc.message)
        except IntegrityError:
            results.append("refused by the database")
        except OperationalError as exc:
            # Two inserts checking an exclusion constraint against each other's uncommitted rows can wait on each
            # other: PostgreSQL then aborts one as a deadlock. Either way the database refused the second.
            if not isinstance(exc.__cause__, DeadlockDetected):
                raise
            results.append("refused by the database")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _book(city: Any, username: str, **kw: Any) -> Callable[[], Any]:
    data = booking(city, **kw)
    return lambda: appointment_book(actor=User.objects.get(username=username), data=data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_bookings_of_one_lawyer_in_two_rooms_make_one_appointment(prison):
    city = prison
    results = _race([_book(city, "reviewer_a", room=city.room1, start=at(3, 9)),
                     _book(city, "prison_clerk", room=city.room2, start=at(3, 9, 30))])
    assert results.count("ok") == 1 and LAWYER_CLASH in results, results
    assert Appointment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_bookings_of_one_room_for_two_lawyers_make_one_appointment(prison):
    city = prison
    other = Provider.objects.get(name="李律师")
    results = _race([_book(city, "reviewer_a", start=at(3, 9)),
                     _book(city, "director_a", start=at(3, 9, 15), provider=other)])
    assert results.count("ok") == 1 and ROOM_CLASH in results, results
    assert Appointment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_alone_refuses_the_second_of_two_overlapping_inserts(prison):
    """Around the service (no locks, no check): the exclusion constraints are the guard."""
    city = prison
    template = Appointment(station=city.prison, provider=city.user("provider_a").provider, inmate_name="孙某",
                           inmate_number_encrypted="x", inmate_number_masked="x", matter="咨询",
                           booked_by=city.user("reviewer_a"))

    def insert(room: Any, hour: int, minute: int) -> Callable[[], Any]:
        def job() -> None:
            with transaction.atomic():
                Appointment.objects.create(**{f.attname: getattr(template, f.attname)
                                              for f in Appointment._meta.concrete_fields if f.attname != "id"}
                                           | {"room_id": room.pk, "starts_at": at(3, hour, minute),
                                              "ends_at": at(3, hour + 1, minute)})
        return job

    results = _race([insert(city.room1, 9, 0), insert(city.room2, 9, 30)])  # one lawyer, two rooms
    assert sorted(results) == ["ok", "refused by the database"], results
    results = _race([insert(city.room1, 14, 0), insert(city.room1, 14, 45)])  # one room (and one lawyer)
    assert sorted(results) == ["ok", "refused by the database"], results
    assert Appointment.objects.count() == 2
