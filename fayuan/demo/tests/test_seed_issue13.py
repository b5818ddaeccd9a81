"""The demo's prison station, training and publicity: a year of video consultations (held, no-shows, cancelled)
and lectures at the city's prison, trainings with attendance, publicity events and media items; seeding again adds
none."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from fayuan.prison_visits.models import Appointment, AppointmentStatus, Lecture
from fayuan.publicity.models import MediaItem, PublicityEvent
from fayuan.training.models import Attendance, TrainingSession


def _counts() -> tuple[int, ...]:
    return (Appointment.objects.count(), Lecture.objects.count(), TrainingSession.objects.count(),
            Attendance.objects.count(), PublicityEvent.objects.count(), MediaItem.objects.count())


@pytest.mark.django_db
def test_demo_prison_training_publicity_and_idempotence():
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == {AppointmentStatus.BOOKED, AppointmentStatus.HELD, AppointmentStatus.NO_SHOW,
                        AppointmentStatus.CANCELLED}
    assert Appointment.objects.count() > 150 and Lecture.objects.count() == 12
    assert Attendance.objects.filter(attended=True).count() > 100
    assert PublicityEvent.objects.filter(kind="campaign_315").count() >= 2 and MediaItem.objects.count() > 20
    before = _counts()
    call_command("seed_demo", persons=0, cases=0, consultations=0, stdout=io.StringIO())
    assert _counts() == before
