"""The demo's outreach: households, a year of visit rounds, tasks in every state and card batches, made through
the outreach services; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fayuan.demo.outreach import seed_outreach
from fayuan.outreach.models import CardBatch, Household, Intervention, Visit, VisitPlan

pytestmark = pytest.mark.django_db


def test_demo_outreach_has_every_task_state_and_runs_once():
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    today = timezone.localdate()
    assert Household.objects.count() > 100 and VisitPlan.objects.count() == 4 * 7
    assert Visit.objects.count() > 100 and CardBatch.objects.exists()
    tasks = Intervention.objects
    assert tasks.filter(status="closed").count() > tasks.exclude(status="closed").count() > 0
    assert tasks.exclude(status="closed").filter(due_on__lt=today).exists()  # some overdue
    assert tasks.filter(consultation__isnull=False).exists()
    before = (Household.objects.count(), Visit.objects.count(), Intervention.objects.count(),
              CardBatch.objects.count())
    again = seed_outreach()
    assert (again.registered, again.plans, again.visits, again.tasks, again.batches) == (0, 0, 0, 0, 0)
    assert before == (Household.objects.count(), Visit.objects.count(), Intervention.objects.count(),
                      CardBatch.objects.count())
