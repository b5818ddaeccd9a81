"""The quality pages as staff, bureau and provider use them: forms post through the services, a provider reads
their case's evaluation without the forms, another center's staff get 404, lists do not grow in queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.quality import services
from fayuan.quality.models import CaseGrading, ClosingEvaluation, CollectiveDiscussion, FollowUpRule, FollowUpVisit

from .support import closed_case, signed_case


def test_staff_confirm_the_grade_and_record_a_discussion_through_the_pages(client, city):
    case = signed_case(city)
    sign_in(client, city.user("reviewer_a"))
    page = client.get(reverse("quality:case", args=[case.public_id])).content.decode()
    assert "系统建议，待中心确认" in page and "确认等级" in page
    url = reverse("quality:grading_confirm", args=[case.public_id])
    form = client.get(url).content.decode()
    assert "群体性纠纷案件" in form and "依据待补" in form
    refused = client.post(url, {"grade": "major"})
    assert refused.status_code == 200 and "须写明理由" in refused.content.decode()
    assert CaseGrading.objects.get(case=case).confirmed_at is None
    done = client.post(url, {"grade": "major", "criteria": ["public_attention"]})
    assert done.status_code == 302
    assert CaseGrading.objects.get(case=case).grade == "major"
    page = client.get(reverse("quality:case", args=[case.public_id])).content.decode()
    assert "结案前须经集体讨论" in page
    posted = client.post(reverse("quality:discussion_new", args=[case.public_id]), {
        "held_on": timezone.localdate().isoformat(), "participants": "中心主任、审查人员",
        "opinions": "媒体关注，应做好沟通", "conclusion": "按原方案办理"})
    assert posted.status_code == 302 and CollectiveDiscussion.objects.filter(case=case).count() == 1


def test_staff_complete_the_closing_evaluation_on_the_rubric_form(client, city):
    case = closed_case(city)
    rubric = services.inspection_rubric(timezone.localdate())
    sign_in(client, city.user("reviewer_a"))
    url = reverse("quality:evaluation", args=[case.public_id])
    form = client.get(url).content.decode()
    assert "示例" in form and "法律文书质量" in form
    data = {f"item_{i.pk}": i.max_points for i in rubric.items.all()}
    first = rubric.items.first()
    bad = client.post(url, {**data, f"item_{first.pk}": first.max_points + 3})
    assert bad.status_code == 200 and not ClosingEvaluation.objects.get(case=case).completed
    ok = client.post(url, {**data, "organ_opinion": "庭审表现良好", "organ_score": "90"})
    assert ok.status_code == 302
    evaluation = ClosingEvaluation.objects.get(case=case)
    assert evaluation.grade == "excellent" and evaluation.organ_score == 90
    page = client.get(reverse("quality:case", args=[case.public_id])).content.decode()
    assert "质量等级：<strong>优秀</strong>" in page


def test_the_provider_reads_their_cases_evaluation_without_the_forms(client, city):
    case = closed_case(city)
    rubric = services.inspection_rubric(timezone.localdate())
    services.evaluation_complete(actor=city.user("reviewer_a"), public_id=case.public_id,
                                 scores={i.pk: i.max_points for i in rubric.items.all()})
    sign_in(client, city.user("provider_a"))
    page = client.get(reverse("quality:case", args=[case.public_id])).content.decode()
    assert "优秀" in page and "修改评价" not in page and "记录中心评价" not in page
    assert 'action="/office/quality/' not in page
    mine = client.get(reverse("quality:mine")).content.decode()
    assert case.number in mine and "优秀" in mine
    for name in ("quality:evaluation", "quality:grading_confirm"):
        assert client.get(reverse(name, args=[case.public_id])).status_code == 404
    # The duty lawyer holds no assignment on it.
    sign_in(client, city.user("duty_a"))
    assert client.get(reverse("quality:case", args=[case.public_id])).status_code == 404
    assert case.number not in client.get(reverse("quality:mine")).content.decode()


def test_another_centers_staff_and_bureau_get_404_and_see_nothing_of_center_a(client, city):
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="话术", effective_from=dt.date(2020, 1, 1),
                                legal_basis="中心规定")
    case = closed_case(city)
    visit = FollowUpVisit.objects.get(case=case)
    from fayuan.conftest import make_user

    bureau_b = make_user("bureau_b_q", "bureau_supervisor", district=city.center_b.district)
    for user in (city.user("reviewer_b"), bureau_b):
        sign_in(client, user)
        assert client.get(reverse("quality:case", args=[case.public_id])).status_code == 404
        assert client.get(reverse("quality:followup_record", args=[visit.pk])).status_code == 404
        for name in ("quality:gaps", "quality:followups"):
            assert case.number not in client.get(reverse(name)).content.decode(), (user, name)
    sign_in(client, city.user("bureau"))  # the city bureau reads every center
    assert case.number in client.get(reverse("quality:gaps")).content.decode()
    assert client.get(reverse("quality:case", args=[case.public_id])).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_do_not_grow_in_queries_with_the_cases(client, city):
    FollowUpRule.objects.create(center=city.center_a, rate=100, script="话术", effective_from=dt.date(2020, 1, 1),
                                legal_basis="中心规定")
    closed_case(city)
    sign_in(client, city.user("reviewer_a"))
    names = ["quality:index", "quality:gaps", "quality:followups", "quality:satisfaction", "quality:hearings",
             "quality:grading_list"]
    before = {n: _queries(client, reverse(n)) for n in names}
    closed_case(city)
    closed_case(city)
    after = {n: _queries(client, reverse(n)) for n in names}
    assert after == before
    sign_in(client, city.user("provider_a"))
    assert _queries(client, reverse("quality:mine")) <= 12


def test_the_case_page_links_to_the_quality_record_for_those_who_may_read_it(client, city):
    case = signed_case(city)
    link = reverse("quality:case", args=[case.public_id])
    for key in ("reviewer_a", "provider_a"):
        sign_in(client, city.user(key))
        assert link in client.get(reverse("cases:detail", args=[case.public_id])).content.decode(), key
        assert client.get(link).status_code == 200, key
    sign_in(client, city.user("clerk_a"))  # the station clerk who took the application reads the case, not this
    page = client.get(reverse("cases:detail", args=[case.public_id]))
    assert page.status_code == 200 and link not in page.content.decode()
