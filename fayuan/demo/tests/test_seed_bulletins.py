"""The demo's quality bulletins: last month's city and home-center bulletins and last year's annual city bulletin,
issued through the services; seeding again issues none."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.bulletins.models import Bulletin
from fayuan.demo.bulletins import seed_bulletins


@pytest.mark.django_db
def test_demo_bulletins_are_issued_once():
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    home = User.objects.get(username="demo_reviewer").center_id
    found = {(b.kind, b.period_start, b.center_id): b for b in Bulletin.objects.all()}
    assert set(found) == {("monthly", last_month, None), ("monthly", last_month, home),
                          ("annual", dt.date(today.year - 1, 1, 1), None)}
    assert all(b.issued and b.number for b in found.values())
    assert found[("monthly", last_month, None)].number.startswith("镇法援质通〔")
    numbers = [b.number for b in found.values()]
    out = io.StringIO()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=out)
    assert "质量通报：新印发 0 份" in out.getvalue()
    assert sorted(b.number for b in Bulletin.objects.all()) == sorted(numbers)


@pytest.mark.django_db
def test_a_draft_left_by_an_interrupted_run_is_issued(city):
    from fayuan.bulletins.services import bulletin_draft

    users = {"demo_bureau": city.user("bureau"), "demo_reviewer": city.user("reviewer_a")}
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    bulletin_draft(actor=city.user("bureau"), kind="monthly", period_start=last_month)
    assert seed_bulletins(users) == 3 and seed_bulletins(users) == 0
    assert Bulletin.objects.filter(status="issued").count() == 3
