"""Drafting from a closed case, editing, the anonymization gate at submission, the city bureau's review and the
resubmission after a return; refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.notifications.models import Notification
from fayuan.typical_cases import anonymize
from fayuan.typical_cases.models import ReviewDecision, Status, TypicalCase
from fayuan.typical_cases.services import (
    typical_case_draft,
    typical_case_review,
    typical_case_submit,
    typical_case_update,
)

from .support import SIGNIFICANCE, closed_case, ready_write_up, this_month

pytestmark = pytest.mark.django_db


def test_the_draft_replaces_names_by_roles_and_drops_numbers_and_addresses(city):
    case = closed_case(city)
    typical = typical_case_draft(actor=city.user("reviewer_a"), case_id=case.public_id, period=this_month())
    text = "\n".join(typical.parts().values())
    assert typical.status == Status.DRAFT and typical.center == city.center_a and typical.category == "civil"
    for leaked in ("张三", "李秀英", "新丰村", "138", "0511", "3211", "３２１１"):
        assert leaked not in text, leaked
    assert typical.facts.startswith("受援人家住某处，") and "对方当事人承包的工地" in typical.facts
    assert "对方当事人当庭支付受援人工资12000元。" in typical.result
    assert anonymize.check(typical.parts(), {"张三": "受援人", "李秀英": "对方当事人"}) == []


def test_only_a_closed_case_of_ones_own_center_can_be_drafted(city):
    from fayuan.core.tests.access_support import Cases

    open_case = Cases(city).get("signed")
    with pytest.raises(Conflict, match="已结案"):
        typical_case_draft(actor=city.user("reviewer_a"), case_id=open_case.public_id, period=this_month())
    case = closed_case(city)
    with pytest.raises(NotFoundOrForbidden):
        typical_case_draft(actor=city.user("reviewer_b"), case_id=case.public_id, period=this_month())
    with pytest.raises(PermissionDenied):
        typical_case_draft(actor=city.user("bureau"), case_id=case.public_id, period=this_month())
    typical_case_draft(actor=city.user("reviewer_a"), case_id=case.public_id, period=this_month())
    with pytest.raises(Conflict, match="重复"):
        typical_case_draft(actor=city.user("director_a"), case_id=case.public_id, period=this_month())
    assert TypicalCase.objects.count() == 1


def test_the_month_cannot_be_before_the_closing_or_in_the_future(city):
    case = closed_case(city)
    next_month = (this_month() + dt.timedelta(days=32)).replace(day=1)
    last_month = (this_month() - dt.timedelta(days=1)).replace(day=1)
    for period, message in ((next_month, "已开始的月份"), (last_month, "结案当月")):
        with pytest.raises(ValidationFailed, match=message):
            typical_case_draft(actor=city.user("reviewer_a"), case_id=case.public_id, period=period)
    assert not TypicalCase.objects.exists()


def test_submission_is_refused_with_every_planted_finding_and_where_it_is(city):
    typical = ready_write_up(city)
    actor = city.user("reviewer_a")
    typical_case_update(actor=actor, public_id=typical.public_id, data={
        "facts": typical.facts + "\n其妻王 秀兰（电话：１５９-５２８０-１２３４）陪同。受援人张三住中山东路88号。",
        "result": "对方李秀英支付工资，身份证321102198005170011。"})
    persons_before = TypicalCase.objects.get(pk=typical.pk).status
    with pytest.raises(ValidationFailed) as refused:
        typical_case_submit(actor=actor, public_id=typical.public_id)
    lines = refused.value.message.splitlines()
    assert lines[0] == "未报送：脱敏检查或内容检查未通过。"
    assert "基本案情第2行第11字：电话号码“159******34”，请删除。" in lines
    assert "基本案情第2行第31字：姓名“张三”，请改为“某某”或当事人身份（如“受援人”）。" in lines
    assert "基本案情第2行第34字：详细地址“中山东路88号”，请改为“某地”或只写到区县。" in lines
    assert "办理结果第1行第3字：姓名“李秀英”，请改为“某某”或当事人身份（如“受援人”）。" in lines
    assert any(line.startswith("办理结果第1行第14字：身份证号码") for line in lines)
    # 王秀兰 is not a person the case knows: only the patterns can find her, and they do not find names.
    assert not any("王" in line for line in lines)
    typical.refresh_from_db()
    assert typical.status == persons_before == Status.DRAFT and typical.submitted_at is None


def test_an_incomplete_write_up_is_refused(city):
    case = closed_case(city)
    typical = typical_case_draft(actor=city.user("reviewer_a"), case_id=case.public_id, period=this_month())
    with pytest.raises(ValidationFailed, match="请填写典型意义"):
        typical_case_submit(actor=city.user("reviewer_a"), public_id=typical.public_id)


def test_submit_return_resubmit_accept(city):
    typical = ready_write_up(city)
    reviewer, bureau = city.user("reviewer_a"), city.user("bureau")
    typical_case_submit(actor=reviewer, public_id=typical.public_id)
    with pytest.raises(Conflict):
        typical_case_update(actor=reviewer, public_id=typical.public_id, data={"title": "改标题"})
    with pytest.raises(ValidationFailed, match="修改意见"):
        typical_case_review(actor=bureau, public_id=typical.public_id, accept=False, comments="")
    typical_case_review(actor=bureau, public_id=typical.public_id, accept=False,
                        comments="请补充办理过程中的证据收集情况。")
    typical.refresh_from_db()
    assert typical.status == Status.RETURNED
    assert Notification.objects.filter(user=reviewer, title="典型案例被退回修改").exists()
    typical_case_update(actor=reviewer, public_id=typical.public_id,
                        data={"handling": typical.handling + "\n承办律师调取了考勤记录和工资欠条等证据。"})
    typical_case_submit(actor=reviewer, public_id=typical.public_id)
    typical_case_review(actor=bureau, public_id=typical.public_id, accept=True)
    typical.refresh_from_db()
    assert typical.status == Status.ACCEPTED and typical.accepted_at is not None
    assert list(typical.events.values_list("decision", flat=True)) == [
        ReviewDecision.SUBMIT, ReviewDecision.RETURN, ReviewDecision.SUBMIT, ReviewDecision.ACCEPT]
    assert typical.significance == SIGNIFICANCE


def test_only_the_city_bureau_reviews(city):
    from fayuan.core.tests.access_support import add_personas

    add_personas(city)
    typical = ready_write_up(city)
    typical_case_submit(actor=city.user("reviewer_a"), public_id=typical.public_id)
    for key in ("bureau_a", "reviewer_a", "director_a"):
        with pytest.raises(PermissionDenied):
            typical_case_review(actor=city.user(key), public_id=typical.public_id, accept=True)
    typical.refresh_from_db()
    assert typical.status == Status.SUBMITTED


def test_a_third_case_in_one_month_is_refused_with_the_rule(city):
    actor = city.user("reviewer_a")
    for _ in range(2):
        typical_case_submit(actor=actor, public_id=ready_write_up(city).public_id)
    third = ready_write_up(city)
    with pytest.raises(Conflict, match=r"至多 2 件.*2018年全市法律援助工作要点》第二十点"):
        typical_case_submit(actor=actor, public_id=third.public_id)
    third.refresh_from_db()
    assert third.status == Status.DRAFT
    assert timezone.localdate().replace(day=1) == third.period
