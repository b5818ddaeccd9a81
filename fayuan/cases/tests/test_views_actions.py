"""The action URLs: each works for the role whose step it is, with and without htmx; invalid input is 422 with
the service's Chinese message next to the field; an action the state does not allow is 409 and changes nothing;
outside the user's scope (or for a role that may not act) it is 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.models import Assignment, Case, CaseEvent, CaseFile, Objection, Status, SupplementRequest

from .conftest import receive
from .views_support import (  # noqa: F401
    HTMX,
    _clock,
    _media,
    as_user,
    assigned_to,
    granted_case,
    png,
    station_case,
    url,
)


def _status(case):
    case.refresh_from_db()
    return case.status


def test_an_action_the_state_does_not_allow_is_409_with_the_reason_and_changes_nothing(client, city):
    case = receive(city)
    events = CaseEvent.objects.count()
    response = as_user(client, city, "reviewer_a").post(url("archive", case))
    assert response.status_code == 409
    html = response.content.decode()
    assert "案件当前状态为“已受理申请”，不能“归档”" in html
    assert _status(case) == Status.RECEIVED and CaseEvent.objects.count() == events


def test_a_refused_action_over_htmx_redraws_the_case_with_the_reason(client, city):
    case = receive(city)
    response = as_user(client, city, "reviewer_a").post(url("assign", case), {}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert '<div id="case-live">' in html and 'hx-swap-oob="innerHTML"' in html and "不能“指派承办人员”" in html
    assert "<html" not in html


@pytest.mark.parametrize(("key", "action"), [
    ("reviewer_b", "decide"), ("clerk_b", "forward"), ("bureau", "decide"), ("bureau", "withdraw"),
    ("provider_a", "accept"), ("duty_a", "accept"), ("sysadmin", "decide"), ("auditor", "decide"),
    ("organ_a", "forward"), ("applicant", "withdraw"),
])
def test_actions_outside_scope_or_role_are_404(client, city, key, action):
    case = station_case(city)
    events = CaseEvent.objects.count()
    response = as_user(client, city, key).post(url(action, case), {"kind": "grant", "reason": "理由理由"})
    assert response.status_code == 404
    assert CaseEvent.objects.count() == events


def test_anonymous_posts_are_sent_to_sign_in(client, city):
    response = client.post(url("decide", receive(city)), {"kind": "grant"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Case.objects.get().status == Status.RECEIVED


def test_a_provider_cannot_act_on_a_case_they_no_longer_hold(client, city, providers):
    case = assigned_to(city, granted_case(city))
    services.case_change_provider(actor=city.user("reviewer_a"), public_id=case.public_id, reason="受援人要求更换")
    response = as_user(client, city, "provider_a").post(url("accept", case))
    assert response.status_code == 404  # their access ended with the assignment (issue 9 item 1)


def test_htmx_success_swaps_the_case_and_announces_the_result(client, city):
    case = receive(city)
    response = as_user(client, city, "reviewer_a").post(url("decide", case), {"kind": "grant"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已作出决定：给予法律援助" in html and "决定给予法律援助" in html
    assert url("assign", case) in html and url("decide", case) not in html
    assert _status(case) == Status.GRANTED


def test_invalid_input_is_422_with_the_message_next_to_the_field(client, city):
    case = assigned_to(city, granted_case(city))
    provider = as_user(client, city, "provider_a")
    response = provider.post(url("decline", case), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="decline-reason-error"' in html and "拒绝指派须说明正当理由" in html
    assert _status(case) == Status.ASSIGNED
    htmx = provider.post(url("decline", case), {"reason": ""}, **HTMX)
    assert htmx.status_code == 422 and "拒绝指派须说明正当理由" in htmx.content.decode()
    assert "<html" not in htmx.content.decode()


def test_a_provider_declines_with_a_reason_and_the_case_returns_to_the_center(client, city):
    case = assigned_to(city, granted_case(city))
    response = as_user(client, city, "provider_a").post(url("decline", case), {"reason": "与对方当事人有亲属关系"})
    assert response.status_code == 302
    assert _status(case) == Status.GRANTED and case.provider is None


def test_manual_assignment_needs_a_reason(client, city, providers):
    case = granted_case(city)
    reviewer = as_user(client, city, "reviewer_a")
    not_first = providers[0].pk  # the labour specialist is first for a wage claim, not this one
    response = reviewer.post(url("assign", case), {"provider": str(not_first)})
    assert response.status_code == 422 and "须写明指定理由" in response.content.decode()
    assert _status(case) == Status.GRANTED
    response = reviewer.post(url("assign", case), {"provider": str(not_first), "reason": "受援人点名该律师"})
    assert response.status_code == 302
    assignment = Assignment.objects.get(case=case)
    assert assignment.method == "manual" and assignment.override_reason == "受援人点名该律师"


def test_assignment_to_a_refused_provider_is_not_offered(client, city, providers):
    case = granted_case(city)
    outsider = providers[1]
    outsider.active = False
    outsider.save()
    response = as_user(client, city, "reviewer_a").post(url("assign", case), {"provider": str(outsider.pk)})
    assert response.status_code == 422 and "所选人员不能承办本案" in response.content.decode()


def test_supplement_once_then_received(client, city):
    case = station_case(city)
    services.case_forward(actor=city.user("clerk_a"), public_id=case.public_id)
    reviewer = as_user(client, city, "reviewer_a")
    assert reviewer.post(url("supplement", case), {"items": ""}).status_code == 422
    response = reviewer.post(url("supplement", case), {"items": "劳动合同\n工资欠条\n", "note": "请尽快补充"})
    assert response.status_code == 302
    assert SupplementRequest.objects.get(case=case).items == ["劳动合同", "工资欠条"]
    assert url("supplement", case) not in reviewer.get(url("detail", case)).content.decode()  # once only
    clerk = as_user(client, city, "clerk_a")
    assert clerk.post(url("supplement_received", case), {"note": "已补交"}).status_code == 302
    assert _status(case) == Status.UNDER_REVIEW
    html = clerk.get(url("detail", case)).content.decode()
    assert "一次性告知补充材料" in html and "需补充：劳动合同；工资欠条" in html and "收到补充材料" in html


def test_refusal_objection_and_the_bureaus_decision(client, city):
    case = receive(city, household_size=1, household_monthly_income="9000")
    reviewer = as_user(client, city, "reviewer_a")
    assert reviewer.post(url("decide", case), {"kind": "refuse"}).status_code == 302
    assert "经济困难" in case.decisions.get().reasons or "最低工资" in case.decisions.get().reasons
    assert reviewer.post(url("objection", case), {"grounds": "申请人收入已下降"}).status_code == 302
    assert _status(case) == Status.OBJECTION
    assert reviewer.post(url("objection_decision", case), {"verdict": "overturn"}).status_code == 404  # bureau's
    bureau = as_user(client, city, "bureau_a")  # the district bureau that set up center A (art. 49)
    assert bureau.post(url("objection_decision", case), {"verdict": "overturn", "reasons": ""}).status_code == 422
    assert bureau.post(url("objection_decision", case), {"verdict": "overturn", "reasons": "收入证明显示已困难"}
                       ).status_code == 302
    assert _status(case) == Status.GRANTED
    assert Objection.objects.get(case=case).outcome == "overturned"


def test_termination_withdrawal_and_change_of_provider(client, city, providers):
    reviewer = as_user(client, city, "reviewer_a")
    case = assigned_to(city, granted_case(city))
    response = reviewer.post(url("change_provider", case), {"reason": "受援人要求更换"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.provider != city.user("provider_a").provider
    assert reviewer.post(url("terminate", case), {"reason": "own_lawyer", "explanation": ""}).status_code == 422
    assert reviewer.post(url("terminate", case), {"reason": "own_lawyer", "explanation": "受援人自行委托律师"}
                         ).status_code == 302
    assert _status(case) == Status.TERMINATED
    other = station_case(city)
    clerk = as_user(client, city, "clerk_a")
    assert clerk.post(url("withdraw", other), {"reason": "申请人撤回"}).status_code == 302
    assert _status(other) == Status.WITHDRAWN


def test_materials_can_be_added_later_all_or_nothing(client, city):
    case = station_case(city)
    clerk = as_user(client, city, "clerk_a")
    bad = SimpleUploadedFile("说明.pdf", b"not a pdf", content_type="application/pdf")
    response = clerk.post(url("materials", case), {"kind": "means_proof", "uploads": [png(), bad]})
    assert response.status_code == 422 and "说明.pdf：只接受 PDF、JPEG 或 PNG" in response.content.decode()
    assert not CaseFile.objects.exists()
    response = clerk.post(url("materials", case), {"kind": "means_proof", "uploads": [png("a.png"), png("b.png")]})
    assert response.status_code == 302
    assert CaseFile.objects.filter(case=case, kind="means_proof").count() == 2


def test_the_closing_file_can_be_returned_for_correction(client, city):
    case = assigned_to(city, granted_case(city))
    lawyer = city.user("provider_a")
    services.assignment_accept(actor=lawyer, public_id=case.public_id)
    services.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    provider = as_user(client, city, "provider_a")
    assert provider.post(url("closing", case), {"outcome": "won", "report": "太短"}).status_code == 422
    assert provider.post(url("closing", case), {"outcome": "won", "report": "判决支持全部诉讼请求，已执行完毕。",
                                                "upload": png("判决书.png")}).status_code == 302
    reviewer = as_user(client, city, "reviewer_a")
    assert reviewer.post(url("closing_review", case), {"verdict": "return", "notes": ""}).status_code == 422
    assert reviewer.post(url("closing_review", case), {"verdict": "return", "notes": "缺少判决书原件扫描"}
                         ).status_code == 302
    assert _status(case) == Status.IN_PROGRESS
    assert "退回补正结案材料" in reviewer.get(url("detail", case)).content.decode()


def test_get_on_an_action_shows_its_form_on_a_page_of_its_own(client, city):
    case = receive(city)
    html = as_user(client, city, "reviewer_a").get(url("decide", case)).content.decode()
    assert "审查决定" in html and 'name="kind"' in html and "hx-disable" in html


def test_review_can_be_started_and_aid_first_confirmed_later(client, city):
    case = receive(city)
    reviewer = as_user(client, city, "reviewer_a")
    assert reviewer.post(url("start_review", case)).status_code == 302
    assert _status(case) == Status.UNDER_REVIEW
    assert reviewer.post(url("decide", case), {"kind": "aid_first", "reasons": ""}).status_code == 422
    assert reviewer.post(url("decide", case), {"kind": "aid_first", "reasons": "诉讼时效即将届满"}).status_code == 302
    assert _status(case) == Status.AID_FIRST
    assert url("aid_first_confirm", case) in reviewer.get(url("detail", case)).content.decode()
    assert reviewer.post(url("aid_first_confirm", case), {"note": "已补齐材料，符合条件"}).status_code == 302
    assert case.decisions.filter(kind="grant").exists()
    html = reviewer.get(url("detail", case)).content.decode()
    assert "先行援助后确认给予法律援助" in html and url("aid_first_confirm", case) not in html
    again = reviewer.post(url("aid_first_confirm", case))
    assert again.status_code == 409 and "不是待确认的先行援助案件" in again.content.decode()


def test_the_change_of_provider_panel_ranks_providers_only_when_opened(client, city, providers, monkeypatch):
    reviewer = as_user(client, city, "reviewer_a")
    case = assigned_to(city, granted_case(city))
    ranked: list[str] = []
    real = services.rank_for_case
    monkeypatch.setattr(services, "rank_for_case", lambda *a, **k: ranked.append("rank") or real(*a, **k))
    page = reviewer.get(f"/office/cases/{case.public_id}/").content.decode()
    assert ranked == []  # the page itself ranks nobody
    assert 'id="panel-change_provider"' in page and f'hx-get="{url("change_provider", case)}"' in page
    body = reviewer.get(url("change_provider", case), **HTMX)
    assert body.status_code == 200 and ranked == ["rank"]
    html = body.content.decode()
    assert "<html" not in html and 'name="reason"' in html and "轮派顺序" in html
    # Without JavaScript the link opens the same panel on a page of its own.
    assert "<html" in reviewer.get(url("change_provider", case)).content.decode()
