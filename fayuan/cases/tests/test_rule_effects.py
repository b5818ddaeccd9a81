"""Issue 8 through the case services, on the shipped rule rows: the green channel on the decision screen and in
the decision document (item 1), the 24-hour forwarding clock (item 2), the supplement period and the paused
decision clock (item 3), cases received without a wage row (item 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases import services
from fayuan.cases.documents import build_context, render_html
from fayuan.cases.models import Case, Document, DocumentKind, Status, SupplementRequest
from fayuan.cases.services.review import assess
from fayuan.deadlines.models import Deadline
from fayuan.org.models import MinimumWage

from .conftest import receive

SH = ZoneInfo("Asia/Shanghai")


def moment(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=SH)


def clock(case: Case, event: str) -> Deadline:
    return Deadline.objects.get(subject_id=case.pk, rule__start_event=event)


# --- item 1: the screen and the document say whether the check was waived, and on which row ---------------------
def _decided_green_case(city: Any) -> Case:
    with time_machine.travel(moment(2026, 3, 2), tick=False):
        case = receive(city, groups=["migrant_worker"], household_size=1, household_monthly_income=Decimal("30000"))
        services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    case.refresh_from_db()
    return case


def test_the_decision_screen_says_the_green_channel_waived_the_check_and_on_which_row(client, city):
    case = receive(city, groups=["migrant_worker"], household_size=1, household_monthly_income=Decimal("30000"))
    assert case.green_channel
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "data-green-channel" in html and "绿色通道规则 migrant_wages" in html
    assert "免除经济困难审查" in html and "2018年全市法律援助工作要点第十四点" in html
    assert "data-means-waiver" in html and "已免除经济困难审查，依据：" in html


def test_a_fast_track_only_case_shows_the_check_was_not_waived(client, city):
    from fayuan.eligibility.models import GreenChannelRule

    GreenChannelRule.objects.create(code="disabled_priority", name="残疾人优先办理", groups=["disabled"],
                                    waives_means_test=False, fast_track=True, effective_from=dt.date(2026, 1, 1),
                                    legal_basis="本市规定（待补录）")
    case = receive(city, groups=["disabled"], household_size=1, household_monthly_income=Decimal("30000"))
    assert case.green_channel  # fast-tracked...
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "不免除经济困难审查" in html and "经济困难审查未免除" in html  # ...but not exempted
    decision = services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="refuse")
    refusal = Document.objects.get(case=case, kind=DocumentKind.REFUSAL_DECISION, number=decision.document_number)
    assert "绿色通道未免除经济困难审查" in render_html(refusal)


def test_the_grant_decision_document_names_the_waiving_row(city):
    case = _decided_green_case(city)
    document = Document.objects.get(case=case, kind=DocumentKind.GRANT_DECISION)
    context = build_context(document)
    assert [g["code"] for g in context["green"]] == ["migrant_wages"] and context["green"][0]["waived"]
    assert "绿色通道规则 migrant_wages" in context["waiver"]
    html = render_html(document)
    assert "本案适用绿色通道" in html and "绿色通道规则 migrant_wages" in html and "2018年1月1日起执行" in html
    assert "免除经济困难审查" in html


def test_a_pensioner_with_income_is_not_a_green_channel_case(city):
    case = receive(city, matter="traffic_injury", household_size=1, household_monthly_income=Decimal("30000"),
                   applicant_id=_person_born(city, dt.date(1950, 1, 1)).public_id)
    assert not case.green_channel


def _person_born(city: Any, birth: dt.date) -> Any:
    from fayuan.conftest import valid_id
    from fayuan.people.services import person_register

    return person_register(actor=city.user("reviewer_a"), name="钱老", id_number=valid_id(41, birth=birth))


# --- item 2: forwarding from custody within 24 hours, instant to instant ------------------------------------------
@pytest.mark.parametrize(("hours", "late"), [(23, False), (37, True)], ids=["LAL-art39-23h-on-time",
                                                                            "LAL-art39-37h-late"])
def test_forwarding_from_custody_is_measured_in_hours(city, hours, late):
    received = moment(2026, 2, 16, 10, 30)  # Spring Festival holiday: the clock does not care
    with time_machine.travel(received, tick=False):
        case = receive(city, actor="clerk_a", applicant_id=city.person_station_a.public_id, case_type="criminal",
                       matter="", criminal_ground="none", criminal_stage="investigation", in_custody=True,
                       channel="custody", matter_summary="盗窃", household_monthly_income=Decimal("0"))
    forward = clock(case, "station_received")
    assert forward.due_at == received + dt.timedelta(hours=24)
    with time_machine.travel(received + dt.timedelta(hours=hours), tick=False):
        services.case_forward(actor=city.user("clerk_a"), public_id=case.public_id)
    forward.refresh_from_db()
    assert forward.met_late is late


# --- item 3: the supplement period and the paused decision clock ------------------------------------------------
def test_withdrawal_follows_the_supplement_clock_past_national_day(city):
    """Requested Sun 20 Sep 2026: 15 days end on 5 Oct, in the National Day holiday -> Thu 8 Oct. The job must not
    withdraw before then (a flat 15 days would have withdrawn on 6 Oct)."""
    with time_machine.travel(moment(2026, 9, 18), tick=False):
        case = receive(city)
    with time_machine.travel(moment(2026, 9, 20), tick=False):
        request = services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id,
                                              items=["工资条"])
    supplement = clock(case, "supplement_requested")
    assert request.due_on == supplement.due_on == dt.date(2026, 10, 8)
    notice = Document.objects.get(case=case, kind=DocumentKind.SUPPLEMENT_NOTICE)
    assert build_context(notice)["due_on"] == "2026年10月8日"
    assert services.supplement_expire_overdue(on=dt.date(2026, 10, 6)) == 0
    assert services.supplement_expire_overdue(on=dt.date(2026, 10, 8)) == 0
    assert services.supplement_expire_overdue(on=dt.date(2026, 10, 9)) == 1
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN and "法律援助法第四十三条第二款" in case.events.last().note


def test_a_date_the_center_writes_is_the_date_the_clock_shows(city):
    with time_machine.travel(moment(2026, 3, 2), tick=False):
        case = receive(city)
        # Sat 7 Mar is a rest day: the last day moves to Mon 9 Mar, on the notice and on the clock alike.
        request = services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id,
                                              items=["工资条"], due_on=dt.date(2026, 3, 7))
    assert request.due_on == clock(case, "supplement_requested").due_on == dt.date(2026, 3, 9)
    assert "补充材料通知书载明的期限" in clock(case, "supplement_requested").explanation


def test_the_decision_clock_stops_while_materials_are_awaited(city):
    with time_machine.travel(moment(2026, 2, 5), tick=False):
        case = receive(city)
    decide = clock(case, "application_received")
    assert decide.due_on == dt.date(2026, 2, 12)
    with time_machine.travel(moment(2026, 2, 9), tick=False):
        services.supplement_request(actor=city.user("reviewer_a"), public_id=case.public_id, items=["工资条"])
    decide.refresh_from_db()
    assert decide.is_paused and decide.days_left == 3
    with time_machine.travel(moment(2026, 2, 20), tick=False):
        services.supplement_receive(actor=city.user("reviewer_a"), public_id=case.public_id)
    decide.refresh_from_db()
    # Three days from Fri 20 Feb end on Mon 23 Feb, still the Spring Festival holiday -> Tue 24 Feb.
    assert not decide.is_paused and decide.due_on == dt.date(2026, 2, 24)
    with time_machine.travel(moment(2026, 2, 24, 15), tick=False):
        services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    decide.refresh_from_db()
    assert decide.met_at is not None and decide.met_late is False
    assert SupplementRequest.objects.get(case=case).fulfilled_at is not None


# --- item 6: no wage row, no block ------------------------------------------------------------------------------
def test_a_case_that_needs_no_means_test_is_received_without_a_wage_row(city):
    MinimumWage.objects.all().delete()
    case = receive(city, case_type="criminal", matter="", criminal_ground="life_or_death",
                   criminal_stage="investigation", matter_summary="故意杀人", household_monthly_income=Decimal("0"))
    result = assess(case)
    assert (result.eligible, result.means_test) == (True, "not_required")
    fact = receive(city, matter="other", special_facts=["domestic_violence"])
    assert assess(fact).means_test == "not_required"
    decision = services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    assert decision.eligibility["eligible"] is True


def test_only_the_means_test_reports_the_missing_wage(city):
    MinimumWage.objects.all().delete()
    case = receive(city)  # received: the missing wage is a review problem, not an intake one
    result = assess(case)
    assert (result.eligible, result.means_test) == (False, "no_standard")
    assert "没有适用的月最低工资标准" in next(c for c in result.criteria if c.code == "means_test").explanation
