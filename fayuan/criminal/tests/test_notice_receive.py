import datetime as dt

import pytest
from django.utils import timezone

from fayuan.cases.models import Case, CaseEvent, Channel, Status
from fayuan.conftest import make_user, valid_id
from fayuan.core.errors import NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.criminal.grounds import BASIS, NoticeGround, is_late
from fayuan.criminal.models import Notice
from fayuan.criminal.selectors import notice_get_for_user, notices_visible_to
from fayuan.deadlines.models import Deadline
from fayuan.notifications.models import Notification
from fayuan.people.models import Person

from .support import send_notice

pytestmark = pytest.mark.django_db


def test_a_notice_opens_a_granted_criminal_case_at_the_organs_center_with_the_notice_clock(city):
    notice = send_notice(city)
    case = notice.case
    assert case.channel == Channel.ORGAN_NOTICE and case.status == Status.GRANTED
    assert case.center == city.center_a and case.case_type == "criminal"
    assert case.criminal_stage == "trial" and case.criminal_ground == "life_or_death" and case.in_custody
    assert case.handling_organ == "京口区人民法院" and case.organ_case_number == "(2026)苏1102刑初12号"
    assert not case.number.startswith("待编号")
    assert not case.decisions.exists()  # no means test, no decision step
    deadline = Deadline.objects.get(subject_id=case.pk, rule__code="assign-on-notice")
    assert deadline.met_at is None
    assert Notification.objects.filter(user=city.user("reviewer_a"), title="新的通知辩护",
                                       body__contains=case.number).exists()


def test_a_person_of_unknown_identity_is_registered_by_name_only(city):
    notice = send_notice(city, name="无名氏")
    assert notice.person.name == "无名氏" and notice.person.id_number_hash is None
    assert notice.person.intake_center == city.center_a


def test_a_known_id_number_links_the_registered_person(city):
    notice = send_notice(city, name="张三", id_number=valid_id(11))
    assert notice.person == city.person_a


@pytest.mark.parametrize(("overrides", "field"), [
    ({"kind": "x"}, "kind"),
    ({"stage": "investigation"}, "stage"),  # a court does not notify in the investigation stage
    ({"ground": "nope"}, "ground"),
    ({"ground": "victim"}, "ground"),  # a victim's notice is a representation
    ({"ground": "compulsory_medical"}, "ground"),  # only at the compulsory medical treatment stage
    ({"name": " "}, "name"),
    ({"id_number": "123"}, "id_number"),
    ({"charge": ""}, "charge"),
    ({"custody_place_id": 999999}, "custody_place_id"),
    ({"organ_case_number": "号" * 61}, "organ_case_number"),
    ({"stage": "death_review", "ground": "death_review", "trial_date": dt.date(2099, 1, 1)}, "trial_date"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(city, overrides, field):
    before = (Case.objects.count(), Notice.objects.count(), Person.objects.count(), CaseEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        send_notice(city, **overrides)
    assert field in exc.value.errors
    assert (Case.objects.count(), Notice.objects.count(), Person.objects.count(), CaseEvent.objects.count()) == before


def test_only_a_liaison_of_an_organ_sends_notices(city):
    for key in ("reviewer_a", "clerk_a", "provider_a"):
        with pytest.raises(PermissionDenied):
            send_notice(city, key)


def test_a_police_liaison_notifies_only_in_investigation_and_not_on_court_grounds(city):
    from fayuan.org.models import Organ, OrganKind

    police = Organ.objects.create(name="京口公安分局", kind=OrganKind.POLICE, district=city.district_a,
                                  center=city.center_a)
    city.users["police_a"] = make_user("police_a", "organ_liaison", organ=police)
    notice = send_notice(city, "police_a", stage="investigation", ground="minor")
    assert notice.case.criminal_stage == "investigation"
    with pytest.raises(ValidationFailed) as exc:
        send_notice(city, "police_a", stage="investigation", ground="court_discretion")
    assert "仅由人民法院通知" in exc.value.errors["ground"][0]


@pytest.mark.parametrize(("stage", "days_before", "simplified", "late"), [
    ("trial", 14, False, True),
    ("trial", 15, False, False),
    ("trial", 30, False, False),
    ("second_instance", 3, False, True),
    ("trial", 3, True, False),  # simplified or fast-track procedure: art. 49 does not apply
    ("death_review", 3, False, False),
])
def test_a_hearing_notice_received_fewer_than_15_days_ahead_is_late(stage, days_before, simplified, late):
    today = dt.date(2026, 3, 2)
    assert is_late(stage=stage, received_on=today, trial_date=today + dt.timedelta(days=days_before),
                   simplified=simplified) is late


def test_the_late_flag_is_stored_and_told_to_the_center(city):
    notice = send_notice(city, trial_date=timezone.localdate() + dt.timedelta(days=5))
    assert notice.late
    assert Notification.objects.filter(user=city.user("reviewer_a"), body__contains="不足十五日").exists()


def test_scope_own_organ_own_center_and_404_elsewhere(city):
    make_user("court_b", "organ_liaison", organ=city.organ_b)
    notice = send_notice(city)
    from fayuan.accounts.models import User

    court_b, reviewer_b = User.objects.get(username="court_b"), city.user("reviewer_b")
    assert notice_get_for_user(city.user("organ_a"), notice.public_id) == notice
    assert notice_get_for_user(city.user("reviewer_a"), notice.public_id) == notice
    for user in (court_b, reviewer_b, city.user("clerk_a"), city.user("provider_a")):
        assert not notices_visible_to(user).exists()
        with pytest.raises(NotFoundOrForbidden):
            notice_get_for_user(user, notice.public_id)


def test_every_ground_states_its_basis_and_pending_ones_say_so():
    for ground in NoticeGround:
        basis = BASIS[ground]
        assert basis.legal_basis
        assert basis.pending == (not basis.basis_text)
        if basis.basis_text:  # quoted from the texts in spec/law only
            assert basis.basis_text.startswith("《")
    assert set(BASIS) == set(NoticeGround)
    assert BASIS[NoticeGround.VICTIM].pending
    assert "依据待补" in BASIS[NoticeGround.FULL_COVERAGE].legal_basis
