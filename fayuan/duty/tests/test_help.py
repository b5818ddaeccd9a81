"""Help records: the ID number only in the people app, the plea agreement needs the organ case number, and one
lawyer for one defendant of a criminal case (SPC interpretation art. 43 para. 2) in both directions: no help for a
co-defendant of a case the lawyer holds or held, and no assignment to a co-defendant of someone they helped."""

from __future__ import annotations

import pytest

from fayuan.accounts.models import User
from fayuan.cases import services as case_services
from fayuan.cases.services.organ import case_set_organ_reference
from fayuan.cases.tests.conftest import granted
from fayuan.cases.vetoes import assignment_vetoes
from fayuan.conftest import valid_id
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.duty import services
from fayuan.duty.models import Duty, HelpRecord
from fayuan.people.models import Person
from fayuan.people.services import person_register

from .support import JANUARY, published_next

pytestmark = pytest.mark.django_db
NUMBER = "（2026）苏1102刑初12号"


def _help(user, duty, **kw):
    data = {"person_name": "被告人31", "stage": "trial", "kind": "consultation", "organ_case_number": NUMBER}
    data.update(kw)
    return services.help_record_create(actor=user, duty_id=duty.pk, **data)


def _defendant(city, seq, number=NUMBER):
    person = person_register(actor=city.user("reviewer_a"), name=f"被告人{seq}", id_number=valid_id(seq))
    case = granted(city, applicant_id=person.public_id, case_type="criminal", matter="", criminal_ground="none",
                   criminal_stage="trial", matter_summary="共同盗窃", household_monthly_income="0",
                   handling_organ="京口区人民法院")
    return case_set_organ_reference(actor=city.user("reviewer_a"), public_id=case.public_id,
                                    organ_case_number=number)


def test_the_id_number_is_kept_only_by_the_people_app(city, time_on_duty):
    user, duty = time_on_duty
    record = _help(user, duty, id_number=valid_id(41), kind="plea_witnessed",
                   organ_case_number="〔2026〕苏 1102刑初12号")
    assert record.person is not None and record.person.id_number_masked.startswith("3211")
    assert record.organ_case_number == "(2026)苏1102刑初12号"
    raw = valid_id(41)
    assert raw not in str(HelpRecord.objects.filter(pk=record.pk).values().get())
    assert Person.objects.filter(id_number_hash=record.person.id_number_hash).count() == 1
    with pytest.raises(ValidationFailed, match="办案机关案号"):
        _help(user, duty, kind="plea_witnessed", organ_case_number="")
    with pytest.raises(ValidationFailed, match="转交时间"):
        _help(user, duty, application_forwarded=True)


def test_help_for_a_co_defendant_of_a_case_the_lawyer_holds_is_refused(city, time_on_duty):
    user, duty = time_on_duty
    first = _defendant(city, 31)
    case_services.case_assign(actor=city.user("reviewer_a"), public_id=first.public_id,
                              provider_id=user.provider_id, reason="值班律师熟悉案情")
    before = HelpRecord.objects.count()
    with pytest.raises(Conflict, match="同案其他被告人") as refused:
        _help(user, duty, person_name="被告人33", id_number=valid_id(33), organ_case_number="(2026)苏1102刑初12号")
    assert first.number in refused.value.message and "第四十三条第二款" in refused.value.message
    assert HelpRecord.objects.count() == before
    # The defendant the lawyer defends, and another criminal case, are no co-defendants.
    _help(user, duty, person_name="被告人31", id_number=valid_id(31))
    _help(user, duty, person_name="被告人33", organ_case_number="（2026）苏1102刑初13号")


def test_a_lawyer_who_helped_one_co_defendant_may_not_be_assigned_another(city, time_on_duty):
    user, duty = time_on_duty
    helped = _defendant(city, 31)  # the organ notified the center of this defendant too
    record = _help(user, duty, person_name="被告人31", id_number=valid_id(31))
    assert record.person_id == helped.applicant_id  # matched in the people app, not registered twice
    second = _defendant(city, 33, "〔2026〕苏 1102刑初12号")
    assert user.provider_id in assignment_vetoes(second, [user.provider_id])
    ranked, refused = case_services.rank_for_case(second)
    assert user.provider_id not in {r.candidate.provider_id for r in ranked}
    assert "值班律师" in refused[user.provider_id] and "被告人31" in refused[user.provider_id]
    with pytest.raises(Conflict, match="同案其他犯罪嫌疑人"):
        case_services.case_assign(actor=city.user("reviewer_a"), public_id=second.public_id,
                                  provider_id=user.provider_id, reason="受援人要求")
    # The person they helped may have them as defender.
    assert user.provider_id not in assignment_vetoes(helped, [user.provider_id])


def test_help_only_on_ones_own_duty(city, time_on_duty):
    _user, duty = time_on_duty
    colleague = User.objects.get(username="duty_101")
    with pytest.raises(NotFoundOrForbidden):
        _help(colleague, duty)
    with pytest.raises(PermissionDenied):
        _help(city.user("provider_a"), duty)
    assert not HelpRecord.objects.exists()


@pytest.fixture
def time_on_duty(city):
    import time_machine

    users = published_next(city, JANUARY)
    duty = Duty.objects.filter(provider_id=users[0].provider_id).order_by("date").first()
    with time_machine.travel(f"{duty.date.isoformat()} 10:00 +0800", tick=False):
        yield users[0], duty
