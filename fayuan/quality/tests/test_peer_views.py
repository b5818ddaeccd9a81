"""The peer-review pages: the city bureau draws a round and assigns reviewers (a conflict refused with its reason
on the page), the reviewer scores on the rubric form, the center reads its result and records the improvement, the
results report links its figures to the records; everyone else gets 404, and the lists do not grow in queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.quality.models import ImprovementNote, InspectionRound, PeerSample
from fayuan.quality.peer_review import services

from .support import closed_case

YEAR = timezone.localdate().year


def _drawn_and_assigned(client, city):
    case = closed_case(city)
    sign_in(client, city.user("bureau"))
    form = client.get(reverse("quality:peer_round_new")).content.decode()
    assert "随机种子" in form and "抽查比例" in form
    bad = client.post(reverse("quality:peer_round_new"), {"year": YEAR, "rate": 0, "seed": ""})
    assert bad.status_code == 200 and not InspectionRound.objects.exists()
    done = client.post(reverse("quality:peer_round_new"), {"year": YEAR, "rate": 10, "seed": "777"})
    round_ = InspectionRound.objects.get()
    assert done.status_code == 302 and round_.seed == 777
    page = client.get(reverse("quality:peer_round", args=[round_.pk])).content.decode()
    assert "777" in page and "一致" in page and city.center_a.name in page and case.number in page
    sample = PeerSample.objects.get()
    refused = client.post(reverse("quality:peer_sample_assign", args=[sample.pk]),
                          {"reviewer": city.user("reviewer_a").pk}, follow=True).content.decode()
    assert "不能指定该评估人" in refused and "回避" in refused
    client.post(reverse("quality:peer_round_assign", args=[round_.pk]),
                {"reviewers": [city.user("reviewer_a").pk, city.user("reviewer_b").pk]})
    assert PeerSample.objects.get().reviewer == city.user("reviewer_b")
    return case, PeerSample.objects.get()


def test_the_city_bureau_draws_and_assigns_and_the_reviewer_scores_on_the_form(client, city):
    case, sample = _drawn_and_assigned(client, city)
    sign_in(client, city.user("reviewer_b"))
    mine = client.get(reverse("quality:peer_mine")).content.decode()
    assert case.number in mine and "待评分" in mine
    url = reverse("quality:peer_score", args=[sample.pk])
    form = client.get(url).content.decode()
    assert "同行评估评分标准（示例）" in form and "法律文书质量" in form and case.matter_summary in form
    items = list(sample.round.rubric.items.all())
    data = {f"item_{i.pk}": i.max_points // 2 for i in items}
    first = items[0]
    bad = client.post(url, {**data, f"item_{first.pk}": first.max_points + 1, "comment": "总体一般"})
    assert bad.status_code == 200 and not PeerSample.objects.get().scored
    ok = client.post(url, {**data, f"note_{first.pk}": "会见笔录缺失", "comment": "案卷质量较差。"})
    assert ok.status_code == 302
    sample.refresh_from_db()
    assert sample.grade == "fail" and sample.item_comments == {str(first.pk): "会见笔录缺失"}
    # Center A reads its result and records the improvement; center B's reviewer sees no improvement form.
    assert client.get(reverse("quality:peer_improvement", args=[sample.pk])).status_code == 404
    sign_in(client, city.user("reviewer_a"))
    page = client.get(reverse("quality:peer_sample", args=[sample.pk])).content.decode()
    assert "不合格" in page and "降低办案补贴" in page and "会见笔录缺失" in page and "登记整改" in page
    assert "reviewer_b" not in page  # the reviewed center is not told who reviewed it
    deadline = timezone.localdate().replace(year=YEAR + 1)
    posted = client.post(reverse("quality:peer_improvement", args=[sample.pk]),
                         {"measures": "组织学习案卷规范并补齐笔录。", "deadline": deadline.isoformat()})
    assert posted.status_code == 302 and ImprovementNote.objects.get().deadline == deadline
    posted = client.post(reverse("quality:peer_improvement_done", args=[sample.pk]),
                         {"done_on": timezone.localdate().isoformat(), "done_note": "已补齐并完成学习。"})
    assert posted.status_code == 302 and ImprovementNote.objects.get().done_on == timezone.localdate()


def test_the_results_report_links_its_figures_to_the_records(client, city):
    case, sample = _drawn_and_assigned(client, city)
    services.sample_score(actor=city.user("reviewer_b"), sample_id=sample.pk,
                          scores={i: m for i, _t, m in services.rubric_items(sample.round.rubric)},
                          item_comments={}, comment="规范完整。")
    for who in ("bureau", "bureau_a", "director_a"):
        sign_in(client, city.user(who))
        page = client.get(reverse("quality:peer_results"), {"year": YEAR}).content.decode()
        link = f"{reverse('quality:peer_records')}?center={city.center_a.pk}&amp;grade=excellent&amp;year={YEAR}"
        assert link in page and "王律师" in page, who
        records = client.get(reverse("quality:peer_records"), {"center": city.center_a.pk, "grade": "excellent",
                                                               "year": YEAR}).content.decode()
        assert case.number in records, who
    # Center B reviewed the case, but the result is center A's: not in center B's report or records.
    sign_in(client, city.user("reviewer_b"))
    assert city.center_a.name not in client.get(reverse("quality:peer_results")).content.decode()
    assert case.number not in client.get(reverse("quality:peer_records")).content.decode()
    sign_in(client, city.user("provider_a"))
    assert client.get(reverse("quality:peer_results")).status_code == 404
    sign_in(client, city.user("director_a"))
    empty = client.get(reverse("quality:peer_records"), {"grade": "fail"}).content.decode()
    assert case.number not in empty


def test_outside_their_part_everyone_gets_404(client, city):
    _case, sample = _drawn_and_assigned(client, city)
    round_ = sample.round
    for who in ("bureau_a", "reviewer_a", "reviewer_b", "provider_a"):
        sign_in(client, city.user(who))
        for name, arg in (("quality:peer_round", round_.pk), ("quality:peer_round_new", None),
                          ("quality:peer_sample_assign", sample.pk)):
            url = reverse(name, args=[arg] if arg else [])
            assert client.get(url).status_code == 404, (who, name)
            assert client.post(url, {"reviewer": city.user("reviewer_b").pk}).status_code == 404, (who, name)
    for who in ("reviewer_a", "director_a", "provider_a", "duty_a", "bureau"):  # not the assigned reviewer
        sign_in(client, city.user(who))
        assert client.get(reverse("quality:peer_score", args=[sample.pk])).status_code == 404, who
    for who in ("provider_a", "duty_a", "clerk_a"):  # the case's own provider does not read the sample page
        sign_in(client, city.user(who))
        assert client.get(reverse("quality:peer_sample", args=[sample.pk])).status_code == 404, who
    sign_in(client, city.user("reviewer_b"))
    assert client.get(reverse("quality:peer_sample", args=[sample.pk])).status_code == 200
    assert client.get(reverse("quality:peer_sample", args=[sample.pk + 999])).status_code == 404


def test_the_lists_take_a_fixed_number_of_queries(client, city):
    _case, sample = _drawn_and_assigned(client, city)
    pages = [("bureau", reverse("quality:peer_round", args=[sample.round_id])),
             ("bureau", reverse("quality:peer_results")), ("bureau", reverse("quality:peer_records")),
             ("bureau", reverse("quality:peer_index")), ("reviewer_b", reverse("quality:peer_mine"))]
    before = {}
    for who, url in pages:
        sign_in(client, city.user(who))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        before[url] = len(ctx)
    # More closed cases of center A in the round: the same queries.
    more = [closed_case(city) for _ in range(2)]
    PeerSample.objects.bulk_create([PeerSample(round=sample.round, case=c, center=c.center, case_type=c.case_type,
                                               provider=c.provider, reviewer=city.user("reviewer_b"))
                                    for c in more])
    for who, url in pages:
        sign_in(client, city.user(who))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx) <= before[url], (url, before[url], len(ctx))
