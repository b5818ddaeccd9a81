"""Two clicks on "forward" at once (two liaisons of one organ, or a double submit): one forwarding, one event."""

from __future__ import annotations

from typing import Any

import pytest

from fayuan.cases.models import CaseEvent
from fayuan.cases.tests.test_numbering import run_threads
from fayuan.conftest import make_user
from fayuan.core.errors import Conflict
from fayuan.custody import services
from fayuan.deadlines.models import Deadline

from .helpers import detention, record


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_forwarding_forwards_once(city: Any) -> None:
    first = detention(city)
    second = make_user("detention_a2", "organ_liaison", organ=first.organ)
    forwarding = record(first)
    liaisons = [first, second] * 3

    def work(n: int) -> None:
        services.forwarding_forward(actor=liaisons[n], public_id=forwarding.public_id)

    errors = run_threads(len(liaisons), work)
    assert len(errors) == len(liaisons) - 1 and all(isinstance(e, Conflict) for e in errors), errors
    assert CaseEvent.objects.filter(case_id=forwarding.case_id, kind="forward_from_custody").count() == 1
    clock = Deadline.objects.get(subject_id=forwarding.case_id, rule__code="forward-custody-application")
    forwarding.refresh_from_db()
    assert clock.met_at == forwarding.forwarded_at
