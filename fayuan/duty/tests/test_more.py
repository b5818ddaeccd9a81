"""Leave and leaving a pool refuse bad input and change nothing; the screens' queries do not grow with the rota."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.errors import Conflict, NotFoundOrForbidden, ValidationFailed
from fayuan.duty import services
from fayuan.duty.models import DutyPoolMember, Unavailability
from fayuan.org.models import Station, StationType

from .support import OCTOBER, D, lawyer, pool_of_three

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("start", "end", "reason", "message"), [
    (D(2025, 10, 9), D(2025, 10, 8), "病假", "截止日期不能早于起始日期"),
    (D(2025, 1, 1), D(2026, 6, 1), "病假", "不能超过一年"),
    (D(2025, 10, 9), D(2025, 10, 9), " ", "请写明原因"),
])
def test_leave_refuses_bad_input(city, start, end, reason, message):
    users = pool_of_three(city)
    with pytest.raises(ValidationFailed, match=message):
        services.unavailability_record(actor=city.user("reviewer_a"), provider_id=users[0].provider_id,
                                       start_on=start, end_on=end, reason=reason)
    assert not Unavailability.objects.exists()


def test_leave_only_for_lawyers_of_ones_own_pools(city):
    outsider = lawyer(city, "孙律师", 201)
    with pytest.raises(ValidationFailed, match="不在本中心"):
        services.unavailability_record(actor=city.user("reviewer_a"), provider_id=outsider.provider_id,
                                       start_on=D(2025, 10, 9), end_on=D(2025, 10, 9), reason="病假")
    users = pool_of_three(city)
    with pytest.raises(ValidationFailed, match="不在本中心"):
        services.unavailability_record(actor=city.user("reviewer_b"), provider_id=users[0].provider_id,
                                       start_on=D(2025, 10, 9), end_on=D(2025, 10, 9), reason="病假")


def test_leaving_a_pool_ends_the_membership_and_the_rota_follows(city):
    users = pool_of_three(city)
    member = DutyPoolMember.objects.get(station=city.station_a, provider_id=users[2].provider_id)
    with pytest.raises(ValidationFailed, match="晚于入库日期"):
        services.pool_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=D(2024, 1, 1), reason="调离")
    with pytest.raises(NotFoundOrForbidden):
        services.pool_leave(actor=city.user("reviewer_b"), member_id=member.pk, left_on=D(2025, 10, 15),
                            reason="调离")
    services.pool_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=D(2025, 10, 15), reason="调离")
    with pytest.raises(Conflict, match="已出库"):
        services.pool_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=D(2025, 10, 20),
                            reason="调离")
    rota = services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    assert not rota.duties.filter(provider_id=users[2].provider_id, date__gte=D(2025, 10, 15)).exists()
    assert rota.duties.filter(provider_id=users[2].provider_id).exists()


def _station(city, n):
    return Station.objects.create(name=f"京口区第{n}法院工作站", type=StationType.COURT, center=city.center_a,
                                  district=city.district_a, address="法院", latitude=Decimal("32.2"),
                                  longitude=Decimal("119.4"), has_duty_lawyer=True)


@pytest.mark.parametrize("extra_stations", [0, 3])
def test_the_month_grid_and_the_index_run_a_fixed_number_of_queries(client, city, django_assert_max_num_queries,
                                                                    extra_stations):
    users = pool_of_three(city)
    for n in range(extra_stations):
        services.pool_admit(actor=city.user("reviewer_a"), station_id=_station(city, n).pk,
                            provider_id=users[n % 3].provider_id, admitted_on=D(2025, 1, 1),
                            assessment_result="passed", has_sanction=False)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    sign_in(client, city.user("reviewer_a"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("duty:rota", args=[2025, 10])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("duty:index")).status_code == 200
