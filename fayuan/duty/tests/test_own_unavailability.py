"""A duty lawyer enters their own leave (不能值班时段) for days from tomorrow; a day they hold on a published rota is
refused (in Chinese, the days named) until a swap moved it; the next generated rota leaves the leave out; the
lawyer's page shows their upcoming duties and leave, and nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.errors import Conflict, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry
from fayuan.duty import services
from fayuan.duty.models import Duty, Unavailability

from .support import D, pool_of_three

pytestmark = pytest.mark.django_db
TODAY = D(2026, 12, 10)
JANUARY = D(2027, 1, 1)


def at(day, hour=10):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def own(user, start, end=None, reason="参加培训"):
    return services.unavailability_record_own(actor=user, start_on=start, end_on=end or start, reason=reason)


def publish(city, month):
    services.rota_generate(actor=city.user("reviewer_a"), month=month)
    services.rota_publish(actor=city.user("reviewer_a"), month=month)


def test_a_lawyer_enters_future_leave_and_the_next_rota_leaves_it_out(city):
    users = pool_of_three(city)
    with at(TODAY):
        row = own(users[0], D(2027, 1, 4), D(2027, 1, 8))
        assert (row.provider_id, row.recorded_by_id) == (users[0].provider_id, users[0].pk)
        assert AuditEntry.objects.filter(object_type="duty.unavailability", object_id=str(row.pk)).exists()
        services.rota_generate(actor=city.user("reviewer_a"), month=JANUARY)
    mine = Duty.objects.filter(provider_id=users[0].provider_id, date__range=(D(2027, 1, 4), D(2027, 1, 8)))
    assert not mine.exists()
    assert Duty.objects.filter(date__range=(D(2027, 1, 4), D(2027, 1, 8))).exists()  # others cover those days


@pytest.mark.parametrize(("start", "end", "field", "says"), [
    (TODAY - dt.timedelta(days=1), TODAY, "start_on", "明天及以后"),  # the past
    (TODAY, TODAY + dt.timedelta(days=2), "start_on", "明天及以后"),  # today
    (TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=2), "end_on", "截止日期不能早于起始日期"),
])
def test_past_or_today_or_a_reversed_period_is_refused_and_nothing_is_written(city, start, end, field, says):
    users = pool_of_three(city)
    with at(TODAY), pytest.raises(ValidationFailed, match=says) as refused:
        own(users[0], start, end)
    assert refused.value.field == field and not Unavailability.objects.exists()


def test_a_day_on_a_published_rota_is_refused_until_a_swap_moves_it(city):
    users = pool_of_three(city)
    with at(TODAY):
        publish(city, JANUARY)
        duty = Duty.objects.filter(provider_id=users[0].provider_id, active=True).order_by("date").first()
        with pytest.raises(Conflict, match="已排入已发布的值班") as refused:
            own(users[0], duty.date - dt.timedelta(days=1), duty.date + dt.timedelta(days=1))
        message = refused.value.message
        assert f"{duty.date:%Y-%m-%d}（{duty.station.name}）" in message and "申请换班" in message
        assert not Unavailability.objects.exists()
        swap = services.swap_request(actor=users[0], duty_id=duty.pk, replacement_id=users[1].provider_id,
                                     reason="外地开庭")
        with pytest.raises(Conflict):  # a pending swap does not free the day yet
            own(users[0], duty.date)
        services.swap_decide(actor=city.user("reviewer_a"), swap_id=swap.pk, approve=True)
        assert own(users[0], duty.date).start_on == duty.date


def test_overlapping_leave_and_other_roles_are_refused(city):
    users = pool_of_three(city)
    with at(TODAY):
        own(users[0], D(2027, 2, 1), D(2027, 2, 5))
        with pytest.raises(Conflict, match="重叠"):
            own(users[0], D(2027, 2, 5), D(2027, 2, 9))
        with pytest.raises(PermissionDenied):
            own(city.user("reviewer_a"), D(2027, 2, 10))
        with pytest.raises(PermissionDenied):
            own(city.user("provider_a"), D(2027, 2, 10))
    assert Unavailability.objects.count() == 1


def test_the_lawyers_pages_show_their_upcoming_duties_and_leave_only(client, city):
    users = pool_of_three(city)
    with at(TODAY):
        publish(city, JANUARY)
    other = Duty.objects.exclude(provider_id=users[0].provider_id).order_by("date").first()
    services_day = D(2027, 2, 15)
    with at(TODAY):
        sign_in(client, users[0])
        response = client.post(reverse("duty:my_unavailability"),
                               {"start_on": services_day.isoformat(), "end_on": services_day.isoformat(),
                                "reason": "休年假"})
        assert response.status_code == 302 and response["Location"] == reverse("duty:my_unavailability")
        refused = client.post(reverse("duty:my_unavailability"),
                              {"start_on": "2026-12-01", "end_on": "2026-12-02", "reason": "休年假"})
        assert refused.status_code == 422 and "明天及以后" in refused.content.decode()
        own(users[1], D(2027, 3, 1))  # another lawyer's leave
        page = client.get(reverse("duty:my_unavailability")).content.decode()
        assert "休年假" in page and "参加培训" not in page
        my = client.get(reverse("duty:my")).content.decode()
    mine = Duty.objects.filter(provider_id=users[0].provider_id).order_by("date").first()
    assert "data-upcoming" in my and f"{mine.date:%Y-%m-%d}" in my and "2027-02-15" in my
    assert other.provider.name not in my
    with at(TODAY):
        sign_in(client, city.user("reviewer_a"))
        assert client.get(reverse("duty:my_unavailability")).status_code == 404
