"""The library's pages: a center drafts, edits and submits its own write-ups; another center's staff and another
district's bureau get 404; the city bureau reviews; the public site shows accepted write-ups only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.tests.access_support import add_personas
from fayuan.typical_cases.models import Status, TypicalCase

from .support import accepted, closed_case, ready_write_up, this_month

pytestmark = pytest.mark.django_db


def test_a_center_drafts_edits_and_submits_through_the_pages(client, city):
    case = closed_case(city)
    sign_in(client, city.user("reviewer_a"))
    page = client.get(reverse("typical_cases:new")).content.decode()
    assert case.number in page
    response = client.post(reverse("typical_cases:new"), {"case": str(case.public_id),
                                                          "period": this_month().strftime("%Y-%m")})
    typical = TypicalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("typical_cases:edit",
                                                                           args=[typical.public_id])
    detail = reverse("typical_cases:detail", args=[typical.public_id])
    assert "请填写典型意义" in client.get(detail).content.decode()
    client.post(reverse("typical_cases:edit", args=[typical.public_id]), {
        **typical.parts(), "significance": "本案体现了法律援助对农民工权益的及时保护，具有示范意义，值得推广。",
        "facts": typical.facts + "受援人张三称。"})
    page = client.get(detail).content.decode()
    assert "基本案情第1行" in page and "姓名“张三”" in page
    response = client.post(reverse("typical_cases:submit", args=[typical.public_id]), follow=True)
    assert "未报送：脱敏检查或内容检查未通过。" in response.content.decode()
    typical.refresh_from_db()
    assert typical.status == Status.DRAFT
    client.post(reverse("typical_cases:edit", args=[typical.public_id]),
                {**typical.parts(), "facts": typical.facts.replace("张三", "张某")})
    client.post(reverse("typical_cases:submit", args=[typical.public_id]))
    typical.refresh_from_db()
    assert typical.status == Status.SUBMITTED


def test_another_center_and_another_districts_bureau_get_404(client, city):
    add_personas(city)
    typical = ready_write_up(city)
    urls = [reverse(name, args=[typical.public_id]) for name in ("typical_cases:detail", "typical_cases:edit")]
    for key in ("reviewer_b", "director_b", "bureau_b"):
        sign_in(client, city.user(key))
        assert [client.get(url).status_code for url in urls] == [404, 404], key
        assert client.post(reverse("typical_cases:submit", args=[typical.public_id])).status_code == 404
        assert str(typical.public_id) not in client.get(reverse("typical_cases:list")).content.decode()
    sign_in(client, city.user("bureau_a"))  # district A's bureau reads its center's write-ups, reviews none
    assert client.get(urls[0]).status_code == 200
    assert client.post(reverse("typical_cases:review", args=[typical.public_id]),
                       {"decision": "accept"}).status_code == 404


def test_the_city_bureau_reviews_on_the_page(client, city):
    typical = ready_write_up(city)
    from fayuan.typical_cases.services import typical_case_submit

    typical_case_submit(actor=city.user("reviewer_a"), public_id=typical.public_id)
    sign_in(client, city.user("bureau"))
    page = client.get(reverse("typical_cases:detail", args=[typical.public_id])).content.decode()
    assert "市局审核" in page
    client.post(reverse("typical_cases:review", args=[typical.public_id]),
                {"decision": "return", "comments": "请补充证据情况"})
    typical.refresh_from_db()
    assert typical.status == Status.RETURNED


def test_the_list_and_the_compliance_table_take_a_fixed_number_of_queries(client, city):
    sign_in(client, city.user("bureau"))
    counts = []
    for _ in range(2):
        accepted(city)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("typical_cases:list")).status_code == 200
            assert client.get(reverse("typical_cases:compliance")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_compilation_downloads(client, city):
    accepted(city)
    sign_in(client, city.user("reviewer_b"))
    year = this_month().year
    response = client.get(reverse("typical_cases:compilation_docx", args=[year]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = client.get(reverse("typical_cases:compilation_pdf", args=[year]))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    assert client.get(reverse("typical_cases:compilation_pdf", args=[year + 1])).status_code == 404


def test_the_public_site_shows_accepted_write_ups_only(client, city):
    shown = accepted(city)
    hidden = ready_write_up(city)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="typical-cases"' in home and shown.title in home
    assert reverse("portal:typical_case", args=[shown.public_id]) in home
    detail = client.get(reverse("portal:typical_case", args=[shown.public_id]))
    assert detail.status_code == 200 and shown.significance in detail.content.decode()
    assert "张三" not in detail.content.decode()
    assert client.get(reverse("portal:typical_case", args=[hidden.public_id])).status_code == 404
    assert shown.title in client.get(reverse("portal:typical_cases")).content.decode()


def test_the_city_bureau_runs_the_excellent_case_review_on_the_pages(client, city):
    from fayuan.typical_cases.models import ExcellenceReview, Score
    from fayuan.typical_cases.selectors import criteria_on

    nominee = accepted(city)
    sign_in(client, city.user("bureau"))
    year = this_month().year
    response = client.post(reverse("typical_cases:excellence"), {"year": year})
    review = ExcellenceReview.objects.get(year=year)
    assert response["Location"] == reverse("typical_cases:excellence_detail", args=[review.pk])
    for name in ("评审甲", "评审乙", "评审丙"):
        client.post(reverse("typical_cases:excellence_panel", args=[review.pk]),
                    {"name": name, "affiliation": "市律师协会"})
    client.post(reverse("typical_cases:excellence_nominate", args=[review.pk]), {"typical_case": nominee.public_id})
    nomination = review.nominations.get()
    points = {c.code: c.max_points - 1 for c in criteria_on(this_month())}
    for member in review.panel.all():
        client.post(reverse("typical_cases:excellence_scores", args=[review.pk]),
                    {"nomination": nomination.pk, "member": member.pk, **points})
    assert Score.objects.count() == 3 * len(points)
    page = client.get(reverse("typical_cases:excellence_detail", args=[review.pk])).content.decode()
    assert nominee.title in page and f"{100 - len(points)}.00" in page and "3 / 3" in page
    client.post(reverse("typical_cases:excellence_close", args=[review.pk]))
    review.refresh_from_db()
    assert review.closed
    sign_in(client, city.user("bureau_a"))
    assert client.get(reverse("typical_cases:excellence_detail", args=[review.pk])).status_code == 404
