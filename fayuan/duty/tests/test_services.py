"""The duty services on the shipped rows: admission criteria, the rota on the shipped holiday calendar, draft and
published rotas, leave, swaps, check-in, the no-show job and inspections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.duty import services
from fayuan.duty.models import Duty, DutyPoolMember, RotaGap, RotaStatus, SwapStatus
from fayuan.duty.services.rota import working_days
from fayuan.org.models import Station, StationType

from .support import OCTOBER, D, admit, lawyer, pool_of_three, seasoned

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(
        dt.timedelta(hours=8))), tick=False)


# --- Admission ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("years", "assessment", "sanction", "fragments"), [
    (1, "passed", False, ["执业满 2 年方可入库", "执业 1 年", "本地做法"]),
    (5, "failed", False, ["入库考核未通过"]),
    (5, "passed", True, ["受过行业处分"]),
    (1, "failed", True, ["执业满 2 年", "考核未通过", "处分"]),
], ids=["local-default-two-years", "assessment", "sanctions", "every-reason-at-once"])
def test_admission_refused_on_the_shipped_criteria(city, years, assessment, sanction, fragments):
    user = lawyer(city, "孙律师", 201, years=years)
    with pytest.raises(ValidationFailed) as refused:
        services.pool_admit(actor=city.user("reviewer_a"), station_id=city.station_a.pk,
                            provider_id=user.provider_id, admitted_on=D(2025, 1, 2), assessment_result=assessment,
                            has_sanction=sanction)
    for fragment in fragments:
        assert fragment in refused.value.message
    assert not DutyPoolMember.objects.exists()


def test_admission_explains_itself_and_is_center_scoped(city):
    user = lawyer(city, "孙律师", 201)
    member = services.pool_admit(actor=city.user("reviewer_a"), station_id=city.station_a.pk,
                                 provider_id=user.provider_id, admitted_on=D(2025, 1, 2),
                                 assessment_result="passed", has_sanction=False)
    assert "执业 5 年（要求满 2 年" in member.admission_explanation and "本地做法" in member.admission_explanation
    with pytest.raises(Conflict, match="已在"):
        admit(city, city.station_a, user)
    with pytest.raises(NotFoundOrForbidden):
        services.pool_admit(actor=city.user("reviewer_b"), station_id=city.station_a.pk,
                            provider_id=user.provider_id, admitted_on=D(2025, 1, 2), assessment_result="passed",
                            has_sanction=False)
    with pytest.raises(PermissionDenied):
        services.pool_admit(actor=city.user("duty_a"), station_id=city.station_a.pk, provider_id=user.provider_id,
                            admitted_on=D(2025, 1, 2), assessment_result="passed", has_sanction=False)


# --- The rota on the shipped calendar -------------------------------------------------------------------------

def test_working_days_follow_the_shipped_holiday_calendar(city):
    october = working_days(OCTOBER)
    assert len(october) == 18  # 23 weekdays − 6 holiday weekdays (1-3, 6-8) + Saturday 11 October
    assert D(2025, 10, 11) in october and not set(october) & {D(2025, 10, d) for d in range(1, 9)}
    assert D(2025, 9, 28) in working_days(D(2025, 9, 1))  # a Sunday make-up workday before National Day


def test_generate_covers_every_working_day_fairly(city):
    users = pool_of_three(city)
    rota = services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    duties = list(rota.duties.all())
    assert sorted(d.date for d in duties) == working_days(OCTOBER)
    counts = {u.provider_id: sum(d.provider_id == u.provider_id for d in duties) for u in users}
    assert sorted(counts.values()) == [6, 6, 6] and rota.spread == 0
    assert rota.status == RotaStatus.DRAFT and not rota.gaps.exists() and not rota.provisional


def test_leave_is_respected_and_an_uncoverable_day_is_reported(city):
    users = pool_of_three(city)
    empty = Station.objects.create(name="京口区看守所工作站", type=StationType.DETENTION_CENTER,
                                   center=city.center_a, district=city.district_a, address="看守所",
                                   latitude=Decimal("32.2"), longitude=Decimal("119.4"), has_duty_lawyer=True)
    services.unavailability_record(actor=city.user("reviewer_a"), provider_id=users[0].provider_id,
                                   start_on=D(2025, 10, 9), end_on=D(2025, 10, 17), reason="参加培训")
    rota = services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    on_leave = rota.duties.filter(provider_id=users[0].provider_id, date__range=(D(2025, 10, 9), D(2025, 10, 17)))
    assert not on_leave.exists()
    gaps = list(RotaGap.objects.filter(rota=rota))
    assert len(gaps) == 18 and {g.station_id for g in gaps} == {empty.pk}
    assert "京口区看守所工作站10月9日无人值班：本站值班律师库当日没有在库律师，请先增补入库律师。" in {
        g.reason for g in gaps}


def test_a_draft_is_replaced_a_published_rota_is_not(city):
    users = pool_of_three(city)
    reviewer = city.user("reviewer_a")
    first = services.rota_generate(actor=reviewer, month=OCTOBER)
    services.unavailability_record(actor=reviewer, provider_id=users[1].provider_id, start_on=D(2025, 10, 1),
                                   end_on=D(2025, 10, 31), reason="病假")
    again = services.rota_generate(actor=reviewer, month=OCTOBER)
    assert again.pk == first.pk and again.duties.count() == 18
    assert not again.duties.filter(provider_id=users[1].provider_id).exists()
    services.rota_publish(actor=reviewer, month=OCTOBER)
    before = sorted(again.duties.values_list("pk", "provider_id"))
    with pytest.raises(Conflict, match="已发布"):
        services.rota_generate(actor=reviewer, month=OCTOBER)
    assert sorted(again.duties.values_list("pk", "provider_id")) == before


def test_the_database_refuses_one_lawyer_in_two_places(city):
    pool_of_three(city)
    rota = services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    duty = rota.duties.first()
    other = Station.objects.create(name="京口区另一法院工作站", type=StationType.COURT, center=city.center_a,
                                   district=city.district_a, address="法院", latitude=Decimal("32.2"),
                                   longitude=Decimal("119.4"), has_duty_lawyer=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Duty.objects.create(rota=rota, station=other, provider=duty.provider, date=duty.date)


def test_a_lawyer_busy_at_another_center_is_not_double_booked(city):
    """Center B generates after center A: duty_a's October days at station A are taken, and count for fairness."""
    users = pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    other = lawyer(city, "周律师", 301)
    for user in (users[0], other):
        services.pool_admit(actor=city.user("reviewer_b"), station_id=city.station_b.pk,
                            provider_id=user.provider_id, admitted_on=D(2025, 1, 1), assessment_result="passed",
                            has_sanction=False)
    rota_b = services.rota_generate(actor=city.user("reviewer_b"), month=OCTOBER)
    a_days = set(Duty.objects.filter(provider_id=users[0].provider_id, station=city.station_a)
                 .values_list("date", flat=True))
    b_days = set(rota_b.duties.filter(provider_id=users[0].provider_id).values_list("date", flat=True))
    assert a_days and not a_days & b_days
    assert rota_b.duties.count() == 18 and not rota_b.gaps.exists()


# --- Swaps, check-in, no-shows --------------------------------------------------------------------------------

def published(city):
    users = pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    services.rota_publish(actor=city.user("reviewer_a"), month=OCTOBER)
    return users


def test_a_swap_is_approved_with_the_constraint_rechecked(city):
    users = published(city)
    duty_a = Duty.objects.filter(provider_id=users[0].provider_id).order_by("date").last()
    # The replacement already serves that day at station B: approval must fail and change nothing.
    with at(D(2025, 10, 9)):
        swap = services.swap_request(actor=users[0], duty_id=duty_a.pk, replacement_id=users[1].provider_id,
                                     reason="出庭冲突")
        with pytest.raises(Conflict, match="待审批"):
            services.swap_request(actor=users[0], duty_id=duty_a.pk, replacement_id=users[2].provider_id,
                                  reason="出庭冲突")
        elsewhere = Duty.objects.filter(date=duty_a.date).exclude(pk=duty_a.pk)
        assert not elsewhere.exists()
        other_station = Station.objects.create(
            name="京口区另一法院工作站", type=StationType.COURT, center=city.center_a, district=city.district_a,
            address="法院", latitude=Decimal("32.2"), longitude=Decimal("119.4"), has_duty_lawyer=True)
        busy = Duty.objects.create(rota=duty_a.rota, station=other_station, provider_id=users[1].provider_id,
                                   date=duty_a.date)
        with pytest.raises(Conflict, match="不能同日在两处值班"):
            services.swap_decide(actor=city.user("reviewer_a"), swap_id=swap.pk, approve=True)
        duty_a.refresh_from_db()
        swap.refresh_from_db()
        assert duty_a.active and swap.status == SwapStatus.PENDING
        busy.delete()
        decided = services.swap_decide(actor=city.user("director_a"), swap_id=swap.pk, approve=True)
    duty_a.refresh_from_db()
    assert not duty_a.active and decided.new_duty.provider_id == users[1].provider_id
    assert decided.new_duty.date == duty_a.date and decided.status == SwapStatus.APPROVED
    with pytest.raises(NotFoundOrForbidden):
        services.swap_decide(actor=city.user("reviewer_b"), swap_id=swap.pk, approve=False)


def test_check_in_and_out_on_the_day_only(city):
    users = published(city)
    duty = Duty.objects.filter(provider_id=users[0].provider_id).order_by("date").first()
    with at(duty.date - dt.timedelta(days=1)), pytest.raises(Conflict, match="当日签到"):
        services.duty_check_in(actor=users[0], duty_id=duty.pk)
    with at(duty.date, 9):
        with pytest.raises(Conflict, match="尚未签到"):
            services.duty_check_out(actor=users[0], duty_id=duty.pk)
        services.duty_check_in(actor=users[0], duty_id=duty.pk)
        with pytest.raises(NotFoundOrForbidden):
            services.duty_check_in(actor=users[1], duty_id=duty.pk)
    with at(duty.date, 17):
        services.duty_check_out(actor=users[0], duty_id=duty.pk)
    duty.refresh_from_db()
    assert duty.checked_in_at.hour == 1 and duty.checked_out_at.hour == 9  # 09:00 and 17:00 Beijing, in UTC


def test_the_no_show_job_flags_passed_days_without_check_in(city):
    from fayuan.duty.tasks import flag_duty_no_shows
    from fayuan.jobs.schedule import JOBS

    users = published(city)
    first_three = list(Duty.objects.order_by("date")[:3])  # 9, 10, 11 October
    with at(first_three[0].date, 9):
        services.duty_check_in(actor=next(u for u in users if u.provider_id == first_three[0].provider_id),
                               duty_id=first_three[0].pk)
    assert flag_duty_no_shows.call(on="2025-10-12") == 2
    assert flag_duty_no_shows.call(on="2025-10-12") == 0  # idempotent
    assert set(Duty.objects.filter(no_show=True).values_list("pk", flat=True)) == {d.pk for d in first_three[1:]}
    assert "flag_duty_no_shows" in {job.name for job in JOBS}


def test_a_draft_rota_never_flags_no_shows(city):
    pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    assert services.duty_flag_no_shows(on=D(2025, 11, 1)) == 0


def test_inspections_are_recorded_for_own_stations(city):
    row = services.inspection_record(actor=city.user("director_a"), station_id=city.station_a.pk,
                                     date=D(2025, 5, 20), inspector="市局督查组", findings="值班记录完整。")
    assert row.station == city.station_a
    with pytest.raises(NotFoundOrForbidden):
        services.inspection_record(actor=city.user("reviewer_b"), station_id=city.station_a.pk,
                                   date=D(2025, 5, 20), inspector="督查组", findings="无")
    seasoned(city)
