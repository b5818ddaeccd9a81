"""The bulletin pages as the city bureau and a center use them: draft from the list, edit the pre-filled text,
issue, download; another center and a district bureau of another district get 404; the list does not grow in
queries with the bulletins."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.bulletins import services
from fayuan.bulletins.models import Bulletin

LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_the_city_bureau_drafts_edits_issues_and_downloads_through_the_pages(client, city):
    sign_in(client, city.user("bureau"))
    assert "质量通报" in client.get(reverse("accounts:home")).content.decode()
    page = client.get(reverse("bulletins:list")).content.decode()
    assert "生成草稿" in page
    response = client.post(reverse("bulletins:new"), {"kind": "monthly", "month": LAST_MONTH.strftime("%Y-%m")})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bulletins:detail",
                                                                            args=[bulletin.public_id])
    assert bulletin.center is None and bulletin.problems  # pre-filled
    url = reverse("bulletins:detail", args=[bulletin.public_id])
    page = client.get(url).content.decode()
    assert "结案与一案一评" in page and "各中心情况" in page and "征求意见稿" in page
    client.post(url, {"problems": "1. 个别中心评价不及时。", "good_practice": "1. 回访全覆盖。"})
    bulletin.refresh_from_db()
    assert bulletin.problems == "1. 个别中心评价不及时。"
    client.post(reverse("bulletins:issue", args=[bulletin.public_id]))
    bulletin.refresh_from_db()
    assert bulletin.issued and bulletin.number.startswith("镇法援质通〔")
    page = client.get(url).content.decode()
    assert bulletin.number in page and "印发（编号" not in page
    client.post(url, {"problems": "改", "good_practice": ""})  # an issued bulletin is not edited
    bulletin.refresh_from_db()
    assert bulletin.problems == "1. 个别中心评价不及时。"
    pdf = client.get(reverse("bulletins:pdf", args=[bulletin.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    docx = client.get(reverse("bulletins:docx", args=[bulletin.public_id]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "city-monthly" in docx["Content-Disposition"]


def test_a_bad_period_is_refused_with_the_reason_and_changes_nothing(client, city):
    sign_in(client, city.user("reviewer_a"))
    response = client.post(reverse("bulletins:new"), {"kind": "monthly", "month": ""}, follow=True)
    assert "请选择月份" in response.content.decode()
    this_month = timezone.localdate().strftime("%Y-%m")
    response = client.post(reverse("bulletins:new"), {"kind": "monthly", "month": this_month}, follow=True)
    assert "已经结束" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_other_centers_and_other_districts_get_404_and_see_nothing(client, city):
    from fayuan.conftest import make_user

    bureau_b = make_user("bureau_b_bulletin", "bureau_supervisor", district=city.district_b)
    mine = services.bulletin_draft(actor=city.user("reviewer_a"), kind="monthly", period_start=LAST_MONTH)
    for user in (city.user("reviewer_b"), bureau_b, city.user("provider_a")):
        sign_in(client, user)
        for name in ("bulletins:detail", "bulletins:pdf", "bulletins:docx", "bulletins:issue"):
            method = client.post if name == "bulletins:issue" else client.get
            assert method(reverse(name, args=[mine.public_id])).status_code == 404, (user, name)
    sign_in(client, city.user("reviewer_b"))
    assert str(mine.public_id) not in client.get(reverse("bulletins:list")).content.decode()
    mine.refresh_from_db()
    assert mine.status == "draft"
    # The district A bureau reads it, cannot issue it.
    sign_in(client, city.user("bureau_a"))
    assert client.get(reverse("bulletins:detail", args=[mine.public_id])).status_code == 200
    assert client.post(reverse("bulletins:issue", args=[mine.public_id])).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_does_not_grow_in_queries(client, city):
    services.bulletin_draft(actor=city.user("bureau"), kind="monthly", period_start=LAST_MONTH)
    sign_in(client, city.user("bureau"))
    before = _queries(client, reverse("bulletins:list"))
    services.bulletin_draft(actor=city.user("reviewer_a"), kind="monthly", period_start=LAST_MONTH)
    services.bulletin_draft(actor=city.user("reviewer_b"), kind="annual",
                            period_start=dt.date(timezone.localdate().year - 1, 1, 1))
    assert _queries(client, reverse("bulletins:list")) == before
