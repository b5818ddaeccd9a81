"""Publicity events and media items recorded by centers and bureaus, their scope, and the counts the dashboards read
(by type, channel and month, per center, district and city)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.publicity.models import MediaItem, PublicityEvent
from fayuan.publicity.selectors import (
    events_visible_to,
    media_visible_to,
    publicity_counts,
    publicity_counts_by_center,
)
from fayuan.publicity.services import EventInput, MediaInput, event_record, media_record

DAY = dt.date(timezone.localdate().year, 1, 15)  # mid-January of this year: always in the past (tests run after it)


def _event(city: Any, actor: str = "reviewer_a", **over: Any) -> PublicityEvent:
    data = {"kind": "campaign_315", "title": "3·15 法律援助进商场", "held_on": DAY, "place": "八佰伴广场",
            "audience": 300}
    data.update(over)
    return event_record(actor=city.user(actor), data=EventInput(**data))


def _media(city: Any, actor: str = "reviewer_a", **over: Any) -> MediaItem:
    data = {"title": "农民工讨薪找法援", "published_on": DAY, "channel": "wechat", "outlet": "中心微信公众号",
            "reference": "https://mp.weixin.qq.com/s/example"}
    data.update(over)
    return media_record(actor=city.user(actor), data=MediaInput(**data))


@pytest.fixture
def recorded(city: Any) -> Any:
    if timezone.localdate() < DAY:
        pytest.skip("before mid-January the fixed dates lie in the future")
    _event(city)
    _event(city, kind="street", title="街头咨询", audience=50, held_on=DAY + dt.timedelta(days=40))
    _event(city, actor="reviewer_b", kind="lecture", title="进社区讲座", audience=40)
    _event(city, actor="bureau_a", kind="campaign_124", title="宪法日宣传", audience=1000)
    _event(city, actor="bureau", kind="village", title="进村入户", audience=20)
    _media(city)
    _media(city, channel="newspaper", outlet="京江晚报", reference="2026年1月15日 A5 版")
    _media(city, actor="reviewer_b", channel="tv", outlet="镇江电视台", reference="")
    return city


@pytest.mark.parametrize(("over", "field"), [
    ({"kind": "party"}, "kind"), ({"title": ""}, "title"), ({"audience": -1}, "audience"),
    # Tomorrow as of the test, not of the collection: a run that crosses midnight would make it today.
    ({"held_on": lambda: timezone.localdate() + dt.timedelta(days=1)}, "held_on"),
])
def test_bad_event_changes_nothing(city, over, field):
    over = {k: v() if callable(v) else v for k, v in over.items()}
    with pytest.raises(ValidationFailed) as refused:
        _event(city, **{"held_on": timezone.localdate(), **over})
    assert refused.value.field == field
    assert not PublicityEvent.objects.exists()


@pytest.mark.parametrize(("over", "field"), [
    ({"channel": "poster"}, "channel"), ({"outlet": ""}, "outlet"), ({"reference": "javascript:alert(1)"},
                                                                     "reference"),
])
def test_bad_media_item_changes_nothing(city, over, field):
    with pytest.raises(ValidationFailed) as refused:
        _media(city, **{"published_on": timezone.localdate(), **over})
    assert refused.value.field == field
    assert not MediaItem.objects.exists()


def test_only_centers_and_bureaus_record(city):
    for key in ("provider_a", "clerk_a", "organ_a"):
        with pytest.raises(PermissionDenied):
            _event(city, actor=key, held_on=timezone.localdate())


def test_scope_and_counts(recorded, django_assert_num_queries):
    city = recorded
    year = DAY.year
    assert events_visible_to(city.user("reviewer_a")).count() == 2
    assert events_visible_to(city.user("bureau_a")).count() == 3  # its own and center A's
    assert events_visible_to(city.user("bureau")).count() == 5
    assert media_visible_to(city.user("reviewer_b")).count() == 1
    with django_assert_num_queries(4):  # grouped: the same four whatever the number of records
        center = publicity_counts(year=year, center_id=city.center_a.pk)
    assert center.events == 2 and center.audience == 350 and center.media == 2
    assert center.events_by_kind["campaign_315"] == 1 and center.events_by_kind["lecture"] == 0
    assert center.media_by_channel == {"newspaper": 1, "radio": 0, "tv": 0, "website": 0, "weibo": 0, "wechat": 1}
    assert center.events_by_month[1] == 1 and center.events_by_month[(DAY + dt.timedelta(days=40)).month] == 1
    assert center.media_by_month[1] == 2
    district = publicity_counts(year=year, district_id=city.district_a.pk)
    assert district.events == 3 and district.audience == 1350
    whole = publicity_counts(year=year)
    assert whole.events == 5 and whole.media == 3 and whole.events_by_kind["village"] == 1
    assert publicity_counts(year=year - 1).events == 0
    rows = {r.label: r for r in publicity_counts_by_center(year=year)}
    assert rows[city.center_a.name].events == 2 and rows[city.center_b.name].media == 1
    assert rows["市司法局"].events == 1 and rows["京口区司法局"].audience == 1000
    assert set(r.label for r in publicity_counts_by_center(year=year, district_id=city.district_a.pk)) == {
        city.center_a.name, "京口区司法局"}


def test_the_pages(client, recorded, django_assert_max_num_queries):
    city = recorded
    sign_in(client, city.user("reviewer_a"))
    client.post("/office/publicity/events/new/", {"kind": "lecture", "title": "法律援助进企业",
                                                  "held_on": DAY.isoformat(), "place": "某企业", "audience": "80"})
    client.post("/office/publicity/media/new/", {"title": "法援为民", "published_on": DAY.isoformat(),
                                                 "channel": "radio", "outlet": "镇江人民广播电台", "reference": ""})
    assert PublicityEvent.objects.filter(title="法律援助进企业").exists() and MediaItem.objects.count() == 4
    with django_assert_max_num_queries(14):
        page = client.get(f"/office/publicity/?year={DAY.year}").content.decode()
    assert "法律援助进企业" in page and "进社区讲座" not in page and 'href="https://mp.weixin.qq.com' in page
    sign_in(client, city.user("bureau"))
    page = client.get(f"/office/publicity/?year={DAY.year}").content.decode()
    assert "各单位宣传情况" in page and "进社区讲座" in page
