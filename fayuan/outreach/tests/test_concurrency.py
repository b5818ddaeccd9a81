"""One early-intervention task per need, under real concurrency: the need's row is locked, the second opening
waits, then finds the first task and is refused (and the one-to-one column refuses it anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.errors import Conflict

from .. import services
from ..models import Intervention
from .support import outreach_world


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_openings_on_one_need_give_one_task(city):
    w = outreach_world(city)
    need_id = w.need_wages.pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def open_task(username: str) -> None:
        try:
            actor = User.objects.get(username=username)
            barrier.wait()
            services.intervention_open(actor=actor, need_id=need_id, assignee_id=actor.pk,
                                       due_on=timezone.localdate())
            results.append("ok")
        except Conflict as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_task, args=(name,)) for name in ("clerk_a", "reviewer_a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(["ok", "该法律需求已立早期介入任务。"]), results
    assert Intervention.objects.filter(need_id=need_id).count() == 1
