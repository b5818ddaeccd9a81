"""The demo's organ notices (``notices.py``) run through the services, in time order, on the test city."""

import pytest
import time_machine
from django.utils import timezone

from fayuan.conftest import make_user
from fayuan.criminal.models import Notice
from fayuan.demo.notices import NOTICES, UNASSIGNED, NoticeResult, notice_steps
from fayuan.org.models import Organ, OrganKind

pytestmark = pytest.mark.django_db


def test_the_demo_notices_replay_in_time_order_and_all_but_the_last_are_assigned(city):
    police = Organ.objects.create(name="京口公安分局", kind=OrganKind.POLICE, district=city.district_a,
                                  center=city.center_a)
    result, now = NoticeResult(), timezone.now()
    steps = notice_steps(police=make_user("police_a", "organ_liaison", organ=police), court=city.user("organ_a"),
                         reviewer=city.user("reviewer_a"), now=now, result=result)
    assert all(at < now for at, _ in steps)
    for at, step in sorted(steps, key=lambda s: s[0]):
        with time_machine.travel(at, tick=False):
            step()
    assert result.sent == NOTICES == Notice.objects.count()
    assert result.assigned + result.full == NOTICES - UNASSIGNED
    assert Notice.objects.filter(late=True).exists()
    assert Notice.objects.filter(person__id_number_hash__isnull=True).exists()
    assert {n.organ_id for n in Notice.objects.all()} == {police.pk, city.organ_a.pk}
