"""Training sessions organised by a center or a bureau, attendance of staff and providers with the hours credited
(recorded by the organiser once the session is held, correctable), hours per person per year in scope, pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.core.errors import NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.org.models import Staff
from fayuan.training.models import Attendance, TrainingSession
from fayuan.training.selectors import hours_by_person, session_get_for_user, sessions_visible_to
from fayuan.training.services import SessionInput, attendance_record, session_create

TODAY = timezone.localdate


def _session(city: Any, actor: str = "reviewer_a", **over: Any) -> TrainingSession:
    data = {"title": "刑事法律援助业务培训班", "held_on": TODAY() - dt.timedelta(days=10), "hours": Decimal("6"),
            "place": "市司法局会议室", "topic": "认罪认罚案件值班律师实务"}
    data.update(over)
    return session_create(actor=city.user(actor), data=SessionInput(**data))


@pytest.fixture
def staff(city: Any) -> Any:
    city.staff_a = Staff.objects.create(name="陈工作人员", center=city.center_a, position="科员")
    city.staff_b = Staff.objects.create(name="林工作人员", center=city.center_b)
    return city


@pytest.mark.parametrize(("over", "field"), [
    ({"title": "x"}, "title"), ({"hours": Decimal("0.2")}, "hours"), ({"hours": Decimal("81")}, "hours"),
    ({"place": ""}, "place"), ({"held_on": TODAY() + dt.timedelta(days=400)}, "held_on"),
])
def test_bad_input_changes_nothing(city, over, field):
    with pytest.raises(ValidationFailed) as refused:
        _session(city, **over)
    assert refused.value.field == field
    assert not TrainingSession.objects.exists()


def test_who_organises_and_who_sees(city):
    by_center = _session(city)
    by_district = _session(city, actor="bureau_a", title="京口区法律援助研讨会")
    by_city = _session(city, actor="bureau", title="全市法律援助业务培训班")
    assert by_center.organiser_label == city.center_a.name and by_district.organiser_label.endswith("司法局")
    assert by_city.organiser_label == "市司法局"
    assert set(sessions_visible_to(city.user("reviewer_a"))) == {by_center, by_district, by_city}
    assert set(sessions_visible_to(city.user("reviewer_b"))) == {by_city}
    assert set(sessions_visible_to(city.user("bureau_a"))) == {by_center, by_district}
    assert set(sessions_visible_to(city.user("bureau"))) == {by_center, by_district, by_city}
    for key in ("reviewer_b", "provider_a", "clerk_a", "organ_a"):
        with pytest.raises(NotFoundOrForbidden):
            session_get_for_user(city.user(key), by_center.pk)
    for key in ("provider_a", "clerk_a", "auditor"):
        with pytest.raises(PermissionDenied):
            _session(city, actor=key)


def test_attendance_hours_and_the_yearly_sum(staff):
    city = staff
    session = _session(city)
    later = _session(city, actor="bureau", held_on=TODAY() - dt.timedelta(days=3), hours=Decimal("3"))
    reviewer = city.user("reviewer_a")
    provider = city.user("provider_a").provider
    attendance_record(actor=reviewer, session_id=session.pk, person=f"staff:{city.staff_a.pk}", attended=True)
    attendance_record(actor=reviewer, session_id=session.pk, person=f"provider:{provider.pk}", attended=True,
                      hours=Decimal("4"))
    absent = attendance_record(actor=reviewer, session_id=session.pk, person=f"staff:{city.staff_b.pk}",
                               attended=False, hours=Decimal("6"))
    assert absent.hours_credited == 0
    with pytest.raises(ValidationFailed):  # more than the session's hours
        attendance_record(actor=reviewer, session_id=session.pk, person=f"provider:{provider.pk}", attended=True,
                          hours=Decimal("7"))
    with pytest.raises(ValidationFailed):
        attendance_record(actor=reviewer, session_id=session.pk, person="staff:999999", attended=True)
    with pytest.raises(PermissionDenied):  # center A reads the city bureau's session but does not manage it
        attendance_record(actor=reviewer, session_id=later.pk, person=f"staff:{city.staff_a.pk}", attended=True)
    attendance_record(actor=city.user("bureau"), session_id=later.pk, person=f"staff:{city.staff_a.pk}",
                      attended=True)
    # A correction replaces the row, it does not add one.
    attendance_record(actor=reviewer, session_id=session.pk, person=f"provider:{provider.pk}", attended=True,
                      hours=Decimal("5.5"))
    assert Attendance.objects.filter(session=session).count() == 3
    year = TODAY().year
    rows = {r.name: r for r in hours_by_person(reviewer, year) if (TODAY() - dt.timedelta(days=10)).year == year}
    if rows:  # both sessions fall in this year unless the test runs in the first ten days of January
        assert rows["陈工作人员"].hours == Decimal("9.0") and rows["陈工作人员"].sessions == 2
        assert rows["王律师"].hours == Decimal("5.5")
        assert "林工作人员" not in rows  # center B's, and absent anyway
        assert {r.name for r in hours_by_person(city.user("reviewer_b"), year)} == set()
        assert {r.name for r in hours_by_person(city.user("bureau"), year)} == {"陈工作人员", "王律师"}
    future = _session(city, held_on=TODAY() + dt.timedelta(days=5))
    with pytest.raises(ValidationFailed, match="尚未举办"):
        attendance_record(actor=reviewer, session_id=future.pk, person=f"staff:{city.staff_a.pk}", attended=True)


def test_the_pages(client, staff, django_assert_max_num_queries):
    city = staff
    sign_in(client, city.user("reviewer_a"))
    created = client.post("/office/training/new/", {
        "title": "法律援助案件质量培训", "held_on": (TODAY() - dt.timedelta(days=1)).isoformat(), "hours": "3",
        "place": "中心会议室", "topic": "结案归档"})
    session = TrainingSession.objects.get()
    assert created.status_code == 302 and created.url == f"/office/training/{session.pk}/"
    client.post(f"/office/training/{session.pk}/attendance/", {"person": f"staff:{city.staff_a.pk}",
                                                                "attended": "1", "hours": ""})
    assert Attendance.objects.get().hours_credited == Decimal("3.0")
    page = client.get(f"/office/training/{session.pk}/").content.decode()
    assert "陈工作人员" in page and "登记出勤" in page
    year = (TODAY() - dt.timedelta(days=1)).year
    with django_assert_max_num_queries(12):
        hours = client.get(f"/office/training/hours/?year={year}").content.decode()
    assert "陈工作人员" in hours and "<svg" in hours
    csv = client.get(f"/office/training/hours.csv?year={year}").content.decode("utf-8-sig")
    assert "陈工作人员" in csv and "3.0" in csv
    sign_in(client, city.user("reviewer_b"))
    assert client.get(f"/office/training/{session.pk}/").status_code == 404
    assert "陈工作人员" not in client.get(f"/office/training/hours/?year={year}").content.decode()
    sign_in(client, city.user("bureau_a"))
    page = client.get(f"/office/training/{session.pk}/").content.decode()
    assert "陈工作人员" in page and "登记出勤" not in page
