"""One open membership per lawyer under real concurrency (PostgreSQL): two staff admitting the same lawyer at once
queue on the provider row; the second is told the lawyer is already in the pool (no 500, one row)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.errors import Conflict
from fayuan.org.defense_pool import defense_pool_admit
from fayuan.org.models import DefensePoolMember, Provider, ProviderKind


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_admissions_of_one_lawyer_one_is_refused(city):
    lawyer = Provider.objects.create(name="孙律师", kind=ProviderKind.LAWYER, license_number="13211200000000088",
                                     home_center=city.center_a, criminal_defense_since=dt.date(2012, 1, 1))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def admit(username: str) -> None:
        try:
            barrier.wait()
            defense_pool_admit(actor=User.objects.get(username=username), provider_id=lawyer.pk,
                               admitted_on=timezone.localdate(), training_hours=16)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit, args=(name,)) for name in ("reviewer_a", "director_a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert any("已在刑事辩护律师库中" in r for r in results), results
    assert DefensePoolMember.objects.filter(provider=lawyer, left_on__isnull=True).count() == 1
