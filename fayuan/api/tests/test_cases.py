"""Cases through the API: the whole lifecycle, scope on every endpoint, and bounded list queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fayuan.cases.models import Case, CaseEvent, Status
from fayuan.core.models import AuditEntry

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


def application(city: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant_id": str(city.person_a.public_id), "case_type": "civil", "matter": "wages",
        "matter_summary": "追索劳动报酬", "opposing_party": "某建筑公司", "household_size": 3,
        "household_monthly_income": "3000.00", "handling_organ": "京口区人民法院",
    }
    body.update(overrides)
    return body


def receive(city: Any, client: Any, **overrides: Any) -> dict[str, Any]:
    response = client.post("/cases", application(city, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def test_whole_lifecycle_through_the_api(city, as_user):
    reviewer, lawyer = as_user("reviewer_a"), as_user("provider_a")
    today = timezone.localdate().isoformat()
    created = receive(city, reviewer)
    assert created["status"] == "received" and created["number"].startswith("京法援受〔")
    assert created["applicant"] == {"public_id": str(city.person_a.public_id), "name": "张三"}
    path = f"/cases/{created['public_id']}"

    def act(client: Any, name: str, body: Any = None, status: str | None = None) -> dict[str, Any]:
        response = client.post(f"{path}/{name}", body)
        assert response.status_code == 200, (name, response.content)
        data = response.json()
        if status is not None:
            assert data["status"] == status, (name, data)
        return data

    assessed = act(reviewer, "assess", status="received")
    assert assessed["record"]["type"] == "eligibility_assessment" and assessed["record"]["data"]["eligible"] is True
    decided = act(reviewer, "decide", {"kind": "grant"}, "granted")
    assert decided["record"]["type"] == "decision"
    assert decided["record"]["data"]["document_number"].startswith("京法援〔")
    provider_id = city.user("provider_a").provider_id
    assigned = act(reviewer, "assign", {"provider_id": provider_id, "reason": "受援人点名要求王律师"}, "assigned")
    assert assigned["provider"] == "王律师"
    accepted = act(lawyer, "accept", status="assigned")
    assert accepted["record"]["data"]["accepted_at"]
    act(lawyer, "agreement", {"signed_on": today}, "agreement_signed")
    act(lawyer, "progress", {"kind": "judgment", "occurred_on": today, "summary": "收到一审判决。"}, "in_progress")
    act(lawyer, "closing", {"outcome": "won", "report": "判决支持全部诉讼请求，已结案。", "money_recovered": "12000"},
        "closing_submitted")
    act(reviewer, "closing-review", {"accept": True}, "closed")
    act(reviewer, "archive", status="archived")

    detail = reviewer.get(path)
    assert detail.status_code == 200
    data = detail.json()
    kinds = [e["kind"] for e in data["events"]]
    assert kinds[0] == "received" and kinds[-1] == "archive"
    assert {"grant", "assign", "assignment_accepted", "sign_agreement", "start_handling", "progress_judgment",
            "submit_closing", "accept_closing"} <= set(kinds)
    assert [d["kind"] for d in data["decisions"]] == ["grant"]
    assert data["assignments"][0]["provider"] == "王律师" and data["assignments"][0]["accepted_at"]
    assert {"grant_decision", "assignment_notice", "organ_letter"} <= {d["kind"] for d in data["documents"]}
    assert data["household_monthly_income"] == "3000.00"
    case = Case.objects.get(public_id=created["public_id"])
    assert case.status == Status.ARCHIVED
    assert AuditEntry.objects.filter(action="read", object_type="cases.case", object_id=str(case.pk)).count() == 1


def test_refusal_objection_and_bureau_decision(city, as_user):
    reviewer, bureau = as_user("reviewer_a"), as_user("bureau_a")  # center A's district bureau (art. 49)
    created = receive(city, reviewer, household_size=1, household_monthly_income="9000.00")
    path = f"/cases/{created['public_id']}"
    refused = reviewer.post(f"{path}/decide", {"kind": "refuse"}).json()
    assert refused["status"] == "refused" and "最低工资标准" in refused["record"]["data"]["reasons"]
    assert reviewer.post(f"{path}/objection", {"grounds": "家庭收入计算有误"}).json()["status"] == "objection"
    decided = bureau.post(f"{path}/objection-decision", {"uphold": False, "reasons": "收入应扣除赡养支出"})
    assert decided.status_code == 200 and decided.json()["status"] == "granted"


def test_station_application_is_forwarded_and_supplemented(city, as_user):
    clerk, reviewer = as_user("clerk_a"), as_user("reviewer_a")
    created = receive(city, clerk, applicant_id=str(city.person_station_a.public_id))
    assert created["status"] == "at_station" and created["receiving_station"] == "京口区人民法院工作站"
    path = f"/cases/{created['public_id']}"
    assert clerk.post(f"{path}/forward").json()["status"] == "received"
    asked = reviewer.post(f"{path}/supplement-request", {"items": ["工资欠条", "劳动合同"]}).json()
    assert asked["status"] == "supplement_requested" and asked["record"]["data"]["items"] == ["工资欠条", "劳动合同"]
    assert clerk.post(f"{path}/supplement-received", {"note": "已补交"}).json()["status"] == "under_review"
    assert clerk.post(f"{path}/withdraw", {"reason": "申请人与对方和解"}).json()["status"] == "withdrawn"


def test_decline_change_provider_and_terminate(city, as_user):
    reviewer, lawyer = as_user("reviewer_a"), as_user("provider_a")
    path = f"/cases/{receive(city, reviewer)['public_id']}"
    reviewer.post(f"{path}/decide", {"kind": "grant"})
    provider_id = city.user("provider_a").provider_id
    reviewer.post(f"{path}/assign", {"provider_id": provider_id, "reason": "受援人点名要求"})
    declined = lawyer.post(f"{path}/decline", {"reason": "与对方当事人有亲属关系"})
    assert declined.status_code == 200
    assert declined.json()["status"] == "granted" and declined.json()["provider"] is None
    reviewer.post(f"{path}/assign", {"provider_id": provider_id, "reason": "重新指派，冲突已排除"})
    changed = reviewer.post(f"{path}/change-provider", {"reason": "受援人认为沟通不畅"})
    assert changed.status_code == 200 and changed.json()["provider"] == "李律师"
    ended = reviewer.post(f"{path}/terminate", {"reason": "own_lawyer", "explanation": "受援人已自行委托律师"})
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"


def test_domain_errors_keep_their_status_and_chinese_message(city, as_user):
    reviewer = as_user("reviewer_a")
    path = f"/cases/{receive(city, reviewer)['public_id']}"
    conflict = reviewer.post(f"{path}/archive")
    assert conflict.status_code == 409 and "不能“归档”" in conflict.json()["detail"]
    bad = reviewer.post("/cases", application(city, matter="", matter_summary=" "))
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"matter", "matter_summary"}
    forbidden = as_user("provider_a").post("/cases", application(city))
    assert forbidden.status_code == 403 and forbidden.json()["detail"] == "您的角色不能受理申请。"
    naive = reviewer.post(f"{path}/progress", {"kind": "hearing", "occurred_on": "2026-01-05", "summary": "开庭",
                                               "court": "京口区法院", "hearing_at": "2026-01-05T09:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"] == {"hearing_at": ["时间须带时区（如 +08:00）。"]}


def test_list_filters_and_paginates(city, as_user):
    reviewer = as_user("reviewer_a")
    first = receive(city, reviewer)
    receive(city, reviewer, matter_summary="请求给付赡养费", matter="support_elderly")
    reviewer.post(f"/cases/{first['public_id']}/decide", {"kind": "grant"})
    assert reviewer.get("/cases").json()["count"] == 2
    granted = reviewer.get("/cases", status="granted").json()
    assert [c["public_id"] for c in granted["items"]] == [first["public_id"]]
    assert reviewer.get("/cases", q="赡养").json()["count"] == 1
    page = reviewer.get("/cases", page=2, page_size=1).json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["page"] == 2
    assert reviewer.get("/cases", status="nonsense").status_code == 422
    assert reviewer.get("/cases", page_size=500).json()["errors"] == {"page_size": ["不能大于 100。"]}


def test_list_queries_do_not_grow_with_the_page(city, as_user):
    reviewer = as_user("reviewer_a")
    receive(city, reviewer)
    reviewer.get("/cases")  # warm up: the token's last-use stamp is written once a minute
    with CaptureQueriesContext(connection) as one:
        reviewer.get("/cases")
    for _ in range(4):
        receive(city, reviewer)
    with CaptureQueriesContext(connection) as five:
        assert len(reviewer.get("/cases").json()["items"]) == 5
    assert len(five) == len(one) <= 4


# --- Scope: every endpoint, another center's reviewer and an anonymous caller --------------------------------

ACTIONS: list[tuple[str, dict[str, Any] | None]] = [
    ("forward", None), ("supplement-request", {"items": ["身份证明"]}), ("supplement-received", {"note": ""}),
    ("assess", None), ("decide", {"kind": "grant"}), ("aid-first-confirm", {"reasons": "材料已补齐"}),
    ("assign", {"reason": "测试指派"}), ("accept", None), ("decline", {"reason": "存在利益冲突"}),
    ("agreement", {"signed_on": "2026-03-01"}),
    ("progress", {"kind": "meeting", "occurred_on": "2026-03-01", "summary": "会见"}),
    ("closing", {"outcome": "won", "report": "判决支持全部诉讼请求，已结案。"}),
    ("closing-review", {"accept": True}), ("archive", None),
    ("terminate", {"reason": "own_lawyer", "explanation": "受援人已自行委托律师"}),
    ("objection", {"grounds": "不服"}), ("objection-decision", {"uphold": True, "reasons": "维持"}),
    ("change-provider", {"reason": "受援人申请更换"}), ("withdraw", {"reason": "撤回"}),
]


@pytest.mark.parametrize(("name", "body"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_action_is_404_for_another_center_and_401_for_anonymous(city, as_user, anonymous, name, body):
    case = receive(city, as_user("reviewer_a"))
    events = CaseEvent.objects.count()
    path = f"/cases/{case['public_id']}/{name}"
    outsider = as_user("reviewer_b").post(path, body, key="scope-test")
    assert outsider.status_code == 404, outsider.content
    assert outsider.json()["detail"] == "未找到该记录，或您无权查看。"
    assert anonymous.post(path, body).status_code == 401
    assert CaseEvent.objects.count() == events
    assert Case.objects.get(public_id=case["public_id"]).status == Status.RECEIVED


def test_case_reads_are_scoped(city, as_user, anonymous):
    case = receive(city, as_user("reviewer_a"))
    outsider = as_user("reviewer_b")
    assert outsider.get(f"/cases/{case['public_id']}").status_code == 404
    assert outsider.get("/cases").json()["count"] == 0
    assert outsider.get("/cases/not-a-uuid").status_code == 404
    assert anonymous.get("/cases").status_code == 401
    assert anonymous.get(f"/cases/{case['public_id']}").status_code == 401
    assert as_user("bureau").get(f"/cases/{case['public_id']}").status_code == 200
    assert not AuditEntry.objects.filter(action="read", object_type="cases.case", actor__username="reviewer_b")


def test_receiving_for_another_centers_applicant_is_404(city, as_user, anonymous):
    response = as_user("reviewer_b").post("/cases", application(city))
    assert response.status_code == 404
    assert anonymous.post("/cases", application(city)).status_code == 401
    assert not Case.objects.exists()
