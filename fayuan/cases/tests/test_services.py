import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.models import Case, CaseEvent, DecisionKind, Status
from fayuan.conftest import make_user, valid_id
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.deadlines.models import Deadline
from fayuan.deadlines.selectors import deadlines_for_subject
from fayuan.notifications.models import Notification
from fayuan.org.models import Center, CenterLevel
from fayuan.people.services import person_register

from .conftest import application, granted, receive

MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def _open_rules(case):
    return sorted(d.rule.code for d in deadlines_for_subject(case) if d.met_at is None and d.cancelled_at is None)


def test_bad_application_lists_every_problem_and_creates_nothing(city):
    before = (Case.objects.count(), CaseEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        services.case_receive(actor=city.user("reviewer_a"), data=application(
            city, household_size=0, household_monthly_income="-5", matter_summary=" ", groups=["aliens"]))
    assert set(exc.value.errors) == {"household_size", "household_monthly_income", "matter_summary", "groups"}
    assert "不少于 1" in exc.value.errors["household_size"][0]
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


def test_applicant_outside_scope_is_not_found(city):
    with pytest.raises(NotFoundOrForbidden):
        services.case_receive(actor=city.user("reviewer_a"), data=application(
            city, applicant_id=city.person_b.public_id))


def test_numbers_are_consecutive_per_center(city):
    numbers = [receive(city).number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"京法援受〔{year}〕第{i}号" for i in (1, 2, 3)]


def test_receiving_starts_the_seven_day_decision_clock(city, providers):
    with time_machine.travel(MORNING, tick=False):
        case = receive(city)
    deadline = Deadline.objects.get(subject_id=case.pk, rule__start_event="application_received")
    assert deadline.due_on == dt.date(2026, 3, 9)
    assert "第四十三条" in deadline.rule.legal_basis
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
        services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assign_clock = Deadline.objects.get(subject_id=case.pk, rule__start_event="aid_granted", met_at__isnull=True)
    # 4 March + 3 days = Saturday 7 March, a rest day: the period ends on Monday 9 March.
    assert assign_clock.due_on == dt.date(2026, 3, 9)


def test_station_intake_is_forwarded_and_then_the_center_clock_runs(city):
    case = receive(city, actor="clerk_a", applicant_id=city.person_station_a.public_id)
    assert case.status == Status.AT_STATION and case.receiving_station == city.station_a
    assert any("forward" in code or "station" in code for code in _open_rules(case))
    services.case_forward(actor=city.user("clerk_a"), public_id=case.public_id)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEvent.objects.filter(case=case, kind="forward").exists()


def test_refusal_writes_reasons_from_the_rules(city):
    case = receive(city, household_monthly_income=Decimal("30000"))
    decision = services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse")
    assert "高于当地月最低工资标准" in decision.reasons and "第三十四条" in decision.reasons
    assert decision.document_number


def test_granting_against_the_engine_needs_reasons(city):
    case = receive(city, household_monthly_income=Decimal("30000"))
    with pytest.raises(ValidationFailed, match="写明理由"):
        services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    decision = services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant",
                                    reasons="家庭成员重病，实际支出远超收入，经集体讨论决定给予")
    assert decision.kind == DecisionKind.GRANT and decision.eligibility["eligible"] is False


def test_supplement_is_requested_once_listing_everything(city):
    case = receive(city)
    reviewer = city.user("reviewer_a")
    request = services.supplement_request(actor=reviewer, public_id=case.public_id,
                                          items=["劳动合同或工资条", "身份证复印件", ""])
    assert request.items == ["劳动合同或工资条", "身份证复印件"]
    services.supplement_receive(actor=reviewer, public_id=case.public_id)
    with pytest.raises(Conflict, match="一次性告知"):
        services.supplement_request(actor=reviewer, public_id=case.public_id, items=["再要一样"])


def test_unanswered_supplement_counts_as_withdrawn(city):
    case = receive(city)
    request = services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id, items=["工资条"],
                                          due_on=timezone.localdate() + dt.timedelta(days=3))
    # Three days from today, moved past a weekend or holiday like any last day.
    assert request.due_on >= timezone.localdate() + dt.timedelta(days=3)
    assert services.supplement_expire_overdue(on=request.due_on) == 0
    assert services.supplement_expire_overdue(on=request.due_on + dt.timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert "视为撤回" in case.events.last().note
    assert _open_rules(case) == []


def test_objection_to_refusal_is_decided_by_the_bureau(city, providers):
    case = receive(city, household_monthly_income=Decimal("30000"))
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse")
    services.objection_file(actor=city.user("reviewer_a"), public_id=case.public_id,
                            grounds="申请人提交了新的收入证明")
    with pytest.raises(PermissionDenied):
        services.objection_decide(actor=city.user("director_a"), public_id=case.public_id, uphold=False,
                                  reasons="x")
    assert "objection-decide" in " ".join(_open_rules(case)) or any(
        "objection" in code for code in _open_rules(case))
    # Center A is a district center: its district bureau decides, not the city bureau (art. 49 para. 1).
    assert case.objections.get().bureau_name == f"{city.district_a.name}司法局"
    with pytest.raises(PermissionDenied, match="第四十九条"):
        services.objection_decide(actor=city.user("bureau"), public_id=case.public_id, uphold=False, reasons="x")
    objection = services.objection_decide(actor=city.user("bureau_a"), public_id=case.public_id, uphold=False,
                                          reasons="新证据表明人均收入低于标准，责令给予法律援助")
    case.refresh_from_db()
    assert (objection.outcome, case.status) == ("overturned", Status.GRANTED)
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id)


def test_termination_ends_the_assignment_and_can_be_objected(city, providers):
    case = granted(city)
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id)
    termination = services.case_terminate(actor=city.user("reviewer_a"), public_id=case.public_id,
                                          reason="own_lawyer", explanation="受援人自行委托律师")
    case.refresh_from_db()
    assert case.status == Status.TERMINATED and not case.assignments.filter(is_active=True).exists()
    assert termination.get_reason_display().endswith("（第四十八条第六项）")
    services.objection_file(actor=city.user("reviewer_a"), public_id=case.public_id, grounds="并未自行委托")
    objection = services.objection_decide(actor=city.user("bureau_a"), public_id=case.public_id, uphold=True,
                                          reasons="委托合同属实，维持终止")
    case.refresh_from_db()
    assert case.status == Status.TERMINATED
    # Upheld: the remedies are reconsideration or a lawsuit (art. 49 para. 3), not a second objection.
    assert "行政复议" in objection.remedies and "行政诉讼" in objection.remedies
    assert "第四十九条第三款" in case.events.filter(kind="uphold_termination").get().note
    with pytest.raises(Conflict, match="行政复议"):
        services.objection_file(actor=city.user("reviewer_a"), public_id=case.public_id, grounds="再次异议")
    assert case.objections.count() == 1


def test_the_city_bureau_decides_objections_to_the_city_center(city, providers, django_capture_on_commit_callbacks):
    city_center = Center.objects.create(name="镇江市法律援助中心", doc_prefix="市法援", level=CenterLevel.CITY,
                                        seat_district=city.district_a, address="市政路1号")
    reviewer = make_user("reviewer_city", "center_reviewer", center=city_center)
    person = person_register(actor=reviewer, name="钱七", id_number=valid_id(907))
    case = services.case_receive(actor=reviewer, data=services.ApplicationInput(
        applicant_id=person.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
        household_monthly_income=Decimal("30000")))
    services.case_decide(actor=reviewer, public_id=case.public_id, kind="refuse")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_file(actor=reviewer, public_id=case.public_id, grounds="收入计算有误")
    objection = case.objections.get()
    assert objection.bureau_district is None and objection.bureau_name == "镇江市司法局"
    assert Notification.objects.filter(user=city.user("bureau"), title="新的异议").exists()
    assert not Notification.objects.filter(user=city.user("bureau_a"), title="新的异议").exists()
    # A district bureau does not supervise the city center: the case is not its to see.
    with pytest.raises(NotFoundOrForbidden):
        services.objection_decide(actor=city.user("bureau_a"), public_id=case.public_id, uphold=True, reasons="维持")
    services.objection_decide(actor=city.user("bureau"), public_id=case.public_id, uphold=True, reasons="维持")


def test_confirming_aid_first_issues_the_grant_decision(city, providers):
    case = receive(city, special_facts=["limitation_within_7_days"])
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="aid_first",
                         reasons="诉讼时效即将届满")
    decision = services.aid_first_confirm(actor=city.user("reviewer_a"), public_id=case.public_id,
                                          reasons="补充材料后审查，符合条件")
    assert decision.document_number
    assert case.documents.filter(kind="grant_decision").exists()
    assert case.events.filter(kind="aid_first_confirmed").exists()


def test_aid_first_when_a_limitation_period_is_about_to_expire(city, providers):
    case = receive(city, special_facts=["limitation_within_7_days"])
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="aid_first")
    case.refresh_from_db()
    assert case.status == Status.AID_FIRST and case.aid_first
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id)
    services.aid_first_confirm(actor=city.user("reviewer_a"), public_id=case.public_id)
    with pytest.raises(Conflict):
        services.aid_first_confirm(actor=city.user("reviewer_a"), public_id=case.public_id)


def test_green_channel_case_gets_the_faster_internal_clock(city):
    with time_machine.travel(MORNING, tick=False):
        case = receive(city, groups=["migrant_worker"])
    assert case.green_channel
    deadline = Deadline.objects.get(subject_id=case.pk, rule__start_event="application_received")
    assert deadline.rule.track == "green_channel" and deadline.due_on < dt.date(2026, 3, 9)


def test_withdrawal_needs_a_reason(city):
    case = receive(city)
    with pytest.raises(ValidationFailed):
        services.case_withdraw(actor=city.user("reviewer_a"), public_id=case.public_id, reason=" ")
    services.case_withdraw(actor=city.user("reviewer_a"), public_id=case.public_id, reason="申请人已与对方和解")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN


def test_another_center_cannot_act_on_the_case(city):
    case = receive(city)
    with pytest.raises(NotFoundOrForbidden):
        services.case_decide(actor=city.user("reviewer_b"), public_id=case.public_id, kind="grant")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_application_links_the_consultation_that_led_to_it(city):
    from fayuan.consultations.services import consultation_record

    consultation = consultation_record(actor=city.user("reviewer_a"), channel="counter", question="老板拖欠工资怎么办",
                                       advice="可申请法律援助", person_id=city.person_a.public_id)
    case = receive(city, consultation_id=consultation.public_id)
    consultation.refresh_from_db()
    assert (consultation.case, consultation.referred_to_application) == (case, True)
    with pytest.raises(Conflict, match="另一件申请"):
        receive(city, consultation_id=consultation.public_id)
    other = consultation_record(actor=city.user("reviewer_b"), channel="phone", question="q", advice="a")
    with pytest.raises(NotFoundOrForbidden):
        receive(city, consultation_id=other.public_id)
