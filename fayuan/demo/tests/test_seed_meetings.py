"""The demo's joint meetings: the home center met its district's police and court, one action is overdue; seeding
again adds none. The demo's criminal-defense pool is filled through the service."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.meetings.models import FollowUpAction, Meeting
from fayuan.meetings.selectors import overdue_actions
from fayuan.org.models import DefensePoolMember, Provider


@pytest.mark.django_db
def test_demo_meetings_and_pool():
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert Meeting.objects.count() == 2 and FollowUpAction.objects.filter(done_on__isnull=False).count() == 1
    police = User.objects.get(username="demo_police")
    assert [a.description for a in overdue_actions(police, on=timezone.localdate())] == ["确定看守所转交申请联络员"]
    members = DefensePoolMember.objects.filter(left_on__isnull=True)
    assert members.filter(admitted_by__isnull=False).count() == members.count() > 10
    assert set(Provider.objects.filter(criminal_pool=True).values_list("pk", flat=True)) == set(
        members.values_list("provider_id", flat=True))
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert Meeting.objects.count() == 2
