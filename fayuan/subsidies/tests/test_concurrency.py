"""On PostgreSQL: the same subsidy added to two batches at once lands in one; two batches made at once for a
center's months take distinct numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.cases.tests.test_numbering import run_threads
from fayuan.core.errors import Conflict
from fayuan.subsidies import services
from fayuan.subsidies.models import PaymentBatch, Subsidy

from .support import closed_case


def _months(n: int) -> list[dt.date]:
    first = timezone.localdate().replace(day=1)
    months = [first]
    for _ in range(n - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_subsidy_added_to_two_batches_at_once_lands_in_one(city: Any) -> None:
    reviewer = city.user("reviewer_a")
    batches = [services.batch_create(actor=reviewer, month=m) for m in _months(2)]
    subsidy = Subsidy.objects.get(case=closed_case(city))
    services.subsidy_approve(actor=city.user("director_a"), public_id=subsidy.public_id)

    def work(n: int) -> None:
        services.batch_add(actor=reviewer, batch_id=batches[n].pk, subsidy_id=subsidy.public_id)

    errors = run_threads(2, work)
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    subsidy.refresh_from_db()
    totals = {b.pk: b.total for b in PaymentBatch.objects.all()}
    assert subsidy.batch_id in totals and totals[subsidy.batch_id] == subsidy.total
    assert sum(totals.values()) == subsidy.total  # the other batch stayed empty


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batches_made_at_once_number_without_gaps_or_duplicates(city: Any) -> None:
    months = [m for m in _months(6) if m.year == timezone.localdate().year] or _months(1)

    def work(n: int) -> None:
        services.batch_create(actor=city.user("reviewer_a"), month=months[n])

    assert run_threads(len(months), work) == []
    assert sorted(PaymentBatch.objects.values_list("seq", flat=True)) == list(range(1, len(months) + 1))
