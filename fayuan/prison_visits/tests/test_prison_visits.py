"""Video consultations at a prison's station: booked by the prison station's center or clerks, never two at once in
one room or for one lawyer (cancelled ones hold nothing), the inmate's number kept encrypted and masked, outcomes
once the time has come, lectures; each side sees only its prisons and a lawyer only their own appointments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.crypto import decrypt_text
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry
from fayuan.org.models import Provider, ProviderKind
from fayuan.prison_visits.models import Appointment, AppointmentStatus, Lecture
from fayuan.prison_visits.selectors import appointment_get_for_user, appointments_visible_to, prisons_visible_to
from fayuan.prison_visits.services import (
    LAWYER_CLASH,
    ROOM_CLASH,
    LectureInput,
    appointment_cancel,
    appointment_record_outcome,
    lecture_record,
    room_add,
)

from .conftest import at, book

pytestmark = pytest.mark.usefixtures("prison")


def test_a_booking_keeps_the_inmate_number_encrypted_masked_and_out_of_the_audit_log(city):
    a = book(city, inmate_number=" 3201123456 ")
    assert a.status == AppointmentStatus.BOOKED and a.station == city.prison
    assert decrypt_text(a.inmate_number_encrypted) == "3201123456"
    assert a.inmate_number_masked == "3*******56"
    entry = AuditEntry.objects.filter(object_type__icontains="appointment").get()
    assert "3201123456" not in str(entry.detail)


@pytest.mark.parametrize(("over", "field"), [
    ({"inmate_name": " "}, "inmate_name"),
    ({"inmate_number": "12"}, "inmate_number"),
    ({"inmate_number": "32-01"}, "inmate_number"),
    ({"matter": ""}, "matter"),
    ({"minutes": 0}, "ends_at"),
    ({"minutes": 300}, "ends_at"),
    ({"start": at(400, 9)}, "starts_at"),
])
def test_bad_input_changes_nothing(city, over, field):
    with pytest.raises(ValidationFailed) as refused:
        book(city, **over)
    assert refused.value.field == field
    assert not Appointment.objects.exists()


def test_a_room_of_another_prison_or_an_inactive_lawyer_is_refused(city):
    with pytest.raises(ValidationFailed, match="会见室"):
        book(city, room_id=city.room_b.pk)  # a room of center B's prison, booked at center A's
    gone = Provider.objects.create(name="退出律师", kind=ProviderKind.LAWYER, license_number="13211200000000099",
                                   home_center=city.center_a, active=False)
    with pytest.raises(ValidationFailed, match="律师"):
        book(city, provider=gone)


def test_no_room_and_no_lawyer_twice_at_one_time(city):
    first = book(city, start=at(3, 9), minutes=60)
    other = Provider.objects.get(name="李律师")
    with pytest.raises(Conflict, match=ROOM_CLASH):  # same room, overlapping, another lawyer
        book(city, start=at(3, 9, 30), provider=other)
    with pytest.raises(Conflict, match=LAWYER_CLASH):  # same lawyer, another room
        book(city, room=city.room2, start=at(3, 9, 59))
    with pytest.raises(Conflict, match=LAWYER_CLASH):  # same lawyer at another prison
        book(city, actor="reviewer_b", room=city.room_b, start=at(3, 8, 30))
    book(city, start=at(3, 10), provider=other)  # back to back is no clash
    appointment_cancel(actor=city.user("reviewer_a"), appointment_id=first.pk, reason="律师临时出庭")
    book(city, room=city.room2, start=at(3, 9, 15), minutes=30)  # a cancelled appointment holds nothing
    assert Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).count() == 2


def test_who_may_book_and_who_sees(city):
    a = book(city, actor="prison_clerk")
    for key in ("reviewer_a", "director_a", "prison_clerk", "bureau_a", "bureau", "provider_a"):
        assert appointment_get_for_user(city.user(key), a.pk) == a
    for key in ("reviewer_b", "clerk_a", "duty_a", "organ_a"):
        with pytest.raises(NotFoundOrForbidden):
            appointment_get_for_user(city.user(key), a.pk)
    with pytest.raises(PermissionDenied):
        book(city, actor="bureau", start=at(4, 9))
    with pytest.raises(NotFoundOrForbidden):  # another center's prison
        book(city, actor="reviewer_b", start=at(4, 9))
    with pytest.raises(NotFoundOrForbidden):  # a clerk of a court station
        book(city, actor="clerk_a", start=at(4, 9))
    with pytest.raises(PermissionDenied):
        appointment_cancel(actor=city.user("provider_a"), appointment_id=a.pk, reason="不需要了")
    assert list(prisons_visible_to(city.user("bureau_a"))) == [city.prison]
    assert set(prisons_visible_to(city.user("bureau"))) == {city.prison, city.prison_b}
    assert list(prisons_visible_to(city.user("prison_clerk"))) == [city.prison]
    assert not prisons_visible_to(city.user("clerk_a")).exists()
    assert not appointments_visible_to(city.user("duty_a")).exists()


def test_the_outcome_once_the_time_has_come(city):
    later = book(city, start=at(2, 9))
    with pytest.raises(Conflict, match="未到"):
        appointment_record_outcome(actor=city.user("reviewer_a"), appointment_id=later.pk, status="held",
                                   outcome="解答")
    past = book(city, start=at(-2, 9))
    reviewer = city.user("reviewer_a")
    with pytest.raises(ValidationFailed):
        appointment_record_outcome(actor=reviewer, appointment_id=past.pk, status="held", outcome="")
    with pytest.raises(ValidationFailed):
        appointment_record_outcome(actor=reviewer, appointment_id=past.pk, status="cancelled")
    done = appointment_record_outcome(actor=reviewer, appointment_id=past.pk, status="held",
                                      outcome="解答了申诉程序，建议其向法律援助中心申请代理申诉。")
    assert done.status == AppointmentStatus.HELD and done.closed_by == reviewer
    with pytest.raises(Conflict, match="已会见"):
        appointment_cancel(actor=reviewer, appointment_id=past.pk, reason="重复")
    missed = book(city, start=at(-1, 14))
    assert appointment_record_outcome(actor=city.user("prison_clerk"), appointment_id=missed.pk,
                                      status="no_show").status == AppointmentStatus.NO_SHOW
    with pytest.raises(Conflict, match="该律师"):  # a no-show still took the time
        book(city, room=city.room2, start=at(-1, 14, 30))


def test_lectures_and_rooms(city):
    with pytest.raises(ValidationFailed):
        lecture_record(actor=city.user("reviewer_a"), data=LectureInput(
            station_id=city.prison.pk, held_on=at(1, 9).date(), topic="刑满释放人员权益", speaker="王律师",
            audience=80))
    lecture = lecture_record(actor=city.user("prison_clerk"), data=LectureInput(
        station_id=city.prison.pk, held_on=at(-3, 9).date(), topic="服刑人员的申诉权", speaker="王律师", audience=120))
    assert Lecture.objects.get() == lecture
    with pytest.raises(PermissionDenied):
        lecture_record(actor=city.user("bureau"), data=LectureInput(
            station_id=city.prison.pk, held_on=at(-3, 9).date(), topic="主题", speaker="主讲人", audience=1))
    with pytest.raises(Conflict):
        room_add(actor=city.user("reviewer_a"), station_id=city.prison.pk, name="视频会见室一")


def test_the_pages(client, city, django_assert_max_num_queries):
    sign_in(client, city.user("prison_clerk"))
    assert client.get("/office/prison/").url == f"/office/prison/{city.prison.pk}/"
    day = at(5, 9)
    posted = client.post(f"/office/prison/{city.prison.pk}/book/", {
        "day": day.date().isoformat(), "start": "09:00", "end": "10:00", "room": city.room1.pk,
        "provider": city.user("provider_a").provider_id, "inmate_name": "周某", "inmate_number": "A1234567",
        "matter": "离婚诉讼代理"})
    a = Appointment.objects.get()
    assert posted.status_code == 302 and posted.url == f"/office/prison/appointments/{a.pk}/"
    assert "A1234567" not in posted.url
    clash = client.post(f"/office/prison/{city.prison.pk}/book/", {
        "day": day.date().isoformat(), "start": "09:30", "end": "10:30", "room": city.room2.pk,
        "provider": city.user("provider_a").provider_id, "inmate_name": "吴某", "inmate_number": "A7654321",
        "matter": "工伤赔偿"}).content.decode()
    assert "该律师在此时段已有预约" in clash and Appointment.objects.count() == 1
    for i in range(4):
        book(city, start=at(5, 13 + i % 2, 30 * (i // 2)), minutes=20, room=[city.room1, city.room2][i % 2],
             provider=Provider.objects.get(name="李律师") if i % 2 else None)
    with django_assert_max_num_queries(14):
        page = client.get(f"/office/prison/{city.prison.pk}/?month={day:%Y-%m}").content.decode()
    assert "周某（A*****67）" in page and "A1234567" not in page
    detail = client.get(f"/office/prison/appointments/{a.pk}/").content.decode()
    assert "取消预约" in detail and "A1234567" not in detail
    assert AuditEntry.objects.filter(action="read", object_id=str(a.pk), actor=city.user("prison_clerk")).exists()
    client.post(f"/office/prison/appointments/{a.pk}/cancel/", {"reason": "服刑人员调监"})
    assert Appointment.objects.get(pk=a.pk).status == AppointmentStatus.CANCELLED
    client.post(f"/office/prison/{city.prison.pk}/lectures/", {
        "held_on": at(-1, 9).date().isoformat(), "topic": "认罪认罚从宽制度", "speaker": "李律师", "audience": "60"})
    assert Lecture.objects.get().audience == 60
    sign_in(client, city.user("provider_a"))
    mine = client.get("/office/prison/mine/").content.decode()
    assert "周某" in mine
    sign_in(client, city.user("bureau_a"))
    page = client.get(f"/office/prison/appointments/{a.pk}/").content.decode()
    assert "取消预约" not in page
    assert client.post(f"/office/prison/appointments/{a.pk}/cancel/", {"reason": "x"}).status_code == 404
    sign_in(client, city.user("reviewer_b"))
    assert client.get(f"/office/prison/{city.prison.pk}/").status_code == 404


def test_the_home_menu_shows_the_prison_card_to_a_prison_clerk_only(client, city):
    sign_in(client, city.user("prison_clerk"))
    assert "/office/prison/" in client.get(reverse("accounts:home")).content.decode()
    sign_in(client, city.user("clerk_a"))
    assert "/office/prison/" not in client.get(reverse("accounts:home")).content.decode()


def test_moving_the_window_of_a_booking_is_not_a_way_round_the_check(city):
    """Overlap is on the time range, not the start: a long one spanning a short one clashes."""
    book(city, start=at(6, 10), minutes=30)
    with pytest.raises(Conflict):
        book(city, start=at(6, 9, 30), minutes=120, provider=Provider.objects.get(name="李律师"))
    assert Appointment.objects.filter(starts_at__date__gte=at(6, 0).date() - dt.timedelta(days=1)).count() == 1
