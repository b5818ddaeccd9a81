"""The demo court's duty-routed notices and the courts' monthly returns: seeded through the services into a
database seeded before them (the part seeds itself when its data is missing), and not again on a second run."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.criminal.models import CourtTrialReturn, DutyStatus, Notice
from fayuan.demo.builders import build_org
from fayuan.demo.duty_notices import DutyNoticeResult, seed_duty_notices
from fayuan.duty.models import HelpRecord, NoticeAssignment
from fayuan.org.models import Organ, OrganKind


@pytest.mark.django_db
def test_a_database_seeded_before_gets_the_duty_notices_and_returns_once(monkeypatch: Any) -> None:
    import fayuan.demo.management.commands.seed_demo as command

    with monkeypatch.context() as patched:  # a database seeded before this part existed
        patched.setattr(command, "seed_duty_notices", lambda org, users: DutyNoticeResult())
        call_command("seed_demo", persons=5, cases=0, consultations=0, stdout=io.StringIO())
    assert not Notice.objects.filter(route="duty").exists() and not CourtTrialReturn.objects.exists()
    out = io.StringIO()
    call_command("seed_demo", persons=5, cases=0, consultations=0, stdout=out)
    assert "值班律师通知：新登记 8 件（已安排 6 件、无值班律师 2 件、已提供法律帮助 2 件）" in out.getvalue()
    court = User.objects.get(username="demo_court").organ
    notices = Notice.objects.filter(organ=court, route="duty")
    statuses = sorted(notices.values_list("duty_status", flat=True))
    assert statuses == sorted([DutyStatus.HELPED] * 2 + [DutyStatus.STAFFED] * 4 + [DutyStatus.UNSTAFFED] * 2)
    assert set(notices.values_list("procedure", flat=True)) == {"simplified", "fast_track"}
    assert NoticeAssignment.objects.filter(help_record__isnull=False).count() == 2
    duty_lawyer = User.objects.get(username="demo_duty").provider
    assert all(n.duty_lawyer == duty_lawyer for n in notices.filter(duty_status=DutyStatus.HELPED))
    month = timezone.localdate().replace(day=1)
    courts = Organ.objects.filter(kind=OrganKind.COURT, active=True)
    assert set(CourtTrialReturn.objects.filter(month=month).values_list("organ_id", flat=True)) == set(
        courts.values_list("pk", flat=True))
    assert all(r.with_own_counsel <= r.defendants_tried for r in CourtTrialReturn.objects.all())
    # Again: nothing new.
    helped = HelpRecord.objects.count()
    users = {u.username: u for u in User.objects.all()}
    again = seed_duty_notices(build_org(), users)
    assert (again.notices, again.returns, HelpRecord.objects.count()) == (0, 0, helped)
