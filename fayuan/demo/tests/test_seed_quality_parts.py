"""The demo's complaints and excellent-lawyer team (issue 12 parts 7, 8): replayed through the services after the
past, a lawyer flagged for repeated complaints, a year of 坐堂 sessions per center with members, the public page;
seeding again adds nothing, and a database seeded before this issue gets them on the next run."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.complaints.models import Complaint, Status
from fayuan.complaints.selectors import repeat_flags
from fayuan.deadlines.models import Deadline
from fayuan.lawyer_team.models import Attendance, Member, Session, SessionStatus
from fayuan.org.models import Provider


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", persons=120, cases=80, consultations=100, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output
        transaction.set_rollback(True)


def _counts() -> tuple[int, ...]:
    return (Complaint.objects.count(), Member.objects.count(), Session.objects.count(), Attendance.objects.count(),
            Deadline.objects.filter(rule__code__in=["handle-complaint", "inform-complainant"]).count())


def test_complaints_flag_one_lawyer_and_every_stage_shows(seeded: str, db: Any) -> None:
    assert "投诉：新登记" in seeded
    complaints = Complaint.objects.all()
    assert complaints.count() >= 5
    assert {Status.RECEIVED, Status.INFORMED} <= set(complaints.values_list("status", flat=True))
    assert complaints.filter(outcome="substantiated").exists() and complaints.filter(outcome="unsubstantiated").exists()
    flags = repeat_flags(None, timezone.localdate())
    assert len(flags) == 1
    provider_id = next(iter(flags))
    client = Client()
    sign_in(client, User.objects.get(username="demo_reviewer"))
    assert "重复投诉提示" in client.get(f"/office/org/providers/{provider_id}/").content.decode()
    assert "重复投诉提示" in client.get("/office/complaints/flags/").content.decode()
    overdue = Deadline.objects.filter(rule__code="handle-complaint", met_at__isnull=True,
                                      due_on__lt=timezone.localdate())
    assert overdue.count() == 1


def test_the_team_and_a_year_of_sessions(seeded: str, db: Any) -> None:
    members = Member.objects.filter(left_on__isnull=True)
    assert members.count() >= 3 and members.filter(admitted_by__isnull=False).count() == members.count()
    assert set(Provider.objects.filter(excellent_team=True).values_list("pk", flat=True)) == set(
        members.values_list("provider_id", flat=True))
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert held.count() >= 12 and not held.filter(consultations_given__isnull=True).exists()
    assert held.values("center").distinct().count() >= 2
    assert Session.objects.filter(status=SessionStatus.SCHEDULED, held_on__gt=timezone.localdate()).exists()
    assert Attendance.objects.filter(attended=True).exists()
    page = Client().get("/lawyer-team/").content.decode()
    assert members.first().provider.name in page and "近期坐堂安排" in page


def test_seeding_again_adds_nothing_and_fills_a_database_seeded_before(seeded: str, db: Any) -> None:
    before = _counts()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert _counts() == before
    # A database seeded before this issue: none of these rows (the flagged providers have no membership yet).
    Deadline.objects.filter(rule__code__in=["handle-complaint", "inform-complainant"]).delete()
    Complaint.objects.all().delete()
    Session.objects.all().delete()
    Member.objects.all().delete()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    again = _counts()
    assert again[0] == before[0] and again[1] == before[1] and again[2] >= 12
