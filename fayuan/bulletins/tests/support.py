"""A hand-counted month for the bulletins' tests, reached through the services of quality, complaints and the
typical-case library. What ``month`` builds (this month unless said otherwise):

center A: case 1 closed, evaluated full marks (优秀), hearing attended (80), visit 满意, complaint decided 成立,
          accepted as a typical case;
          case 2 closed, evaluated all zeros (不合格), hearing attended (90), visit 不满意, complaint pending;
          case 3 closed, not evaluated (a gap), visit unreachable;
          case 0 closed LAST month, evaluated then (优秀), its visit due, a complaint received last month;
center B: case 4 closed, evaluated full marks (优秀), not drawn for a visit (rate 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import time_machine
from django.utils import timezone

from fayuan.complaints.services import ComplaintInput, complaint_decide, complaint_record
from fayuan.quality import services as quality
from fayuan.quality.models import FollowUpRule, FollowUpVisit
from fayuan.typical_cases.tests.support import accepted, closed_case


@dataclass
class Month:
    start: dt.date
    end: dt.date
    cases: dict[str, Any]
    typical: Any


def _scores(case: Any, points: int | None) -> dict[int, int]:
    rubric = quality.inspection_rubric(timezone.localdate())
    assert rubric is not None
    return {i.pk: (i.max_points if points is None else points) for i in rubric.items.all()}


def _complaint(city: Any, case: Any, **over: Any) -> Any:
    data = {"case_number": case.number, "provider_id": case.provider_id, "channel": "phone",
            "complainant_kind": "agent", "complainant_name": "李小四", "phone": "13900000009",
            "category": "not_diligent", "facts": "受援人之子来电：律师两周联系不上，开庭前未会见。"}
    data.update(over)
    return complaint_record(actor=city.user("reviewer_a"), data=ComplaintInput(**data))


def _visit(city: Any, case: Any, *, reached: bool, satisfaction: str = "") -> None:
    visit = FollowUpVisit.objects.get(case=case)
    quality.followup_record(actor=city.user("reviewer_a"), visit_id=visit.pk, visited_on=timezone.localdate(),
                            reached=reached, result="电话回访。", satisfaction=satisfaction)


def _attend(city: Any, case: Any, score: int) -> None:
    reviewer = city.user("reviewer_a")
    attendance = quality.attendance_plan(actor=reviewer, public_id=case.public_id, attendee="中心 陈某",
                                         hearing_at=timezone.now() - dt.timedelta(minutes=1), court="京口区人民法院")
    quality.attendance_record(actor=reviewer, attendance_id=attendance.pk, attended=True,
                              observations="举证质证充分。", score=score)


def month(city: Any) -> Month:
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="请问您对服务满意吗？",
                                effective_from=dt.date(2020, 1, 1), legal_basis="测试")
    FollowUpRule.objects.create(center=city.center_b, rate=0, script="话术",
                                effective_from=dt.date(2020, 1, 1), legal_basis="测试")
    reviewer = city.user("reviewer_a")
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=10),
                                                                     dt.time(10, 0)))):
        case0 = closed_case(city, person=city.person_station_a)
        quality.evaluation_complete(actor=reviewer, public_id=case0.public_id, scores=_scores(case0, None))
    cases = {"case0": case0, "case1": closed_case(city), "case2": closed_case(city, person=city.person_station_a),
             "case3": closed_case(city, person=city.applicant_person),
             "case4": closed_case(city, reviewer="reviewer_b")}
    quality.evaluation_complete(actor=reviewer, public_id=cases["case1"].public_id,
                                scores=_scores(cases["case1"], None))
    quality.evaluation_complete(actor=reviewer, public_id=cases["case2"].public_id,
                                scores=_scores(cases["case2"], 0))
    quality.evaluation_complete(actor=city.user("reviewer_b"), public_id=cases["case4"].public_id,
                                scores=_scores(cases["case4"], None))
    _attend(city, cases["case1"], 80)
    _attend(city, cases["case2"], 90)
    _visit(city, cases["case1"], reached=True, satisfaction="satisfied")
    _visit(city, cases["case2"], reached=True, satisfaction="dissatisfied")
    _visit(city, cases["case3"], reached=False)
    _complaint(city, case0, received_on=start - dt.timedelta(days=5))
    decided = _complaint(city, cases["case1"])
    complaint_decide(actor=city.user("bureau_a"), public_id=decided.public_id, outcome="substantiated",
                     findings="经查，律师未按时会见受援人，投诉成立。", measures=["education"])
    _complaint(city, cases["case2"])
    typical = accepted(city, case=cases["case1"], period=start)
    return Month(start, end, cases, typical)
