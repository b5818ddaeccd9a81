"""The one size limit past which a scope stops counting live (``org.scale``), for every page that draws it."""

from __future__ import annotations

from typing import Any

import pytest

from fayuan.org import scale
from fayuan.org.models import Center


def test_the_limit_is_more_than_live_centers() -> None:
    assert not scale.too_many_to_count_live(scale.LIVE_CENTERS)
    assert scale.too_many_to_count_live(scale.LIVE_CENTERS + 1)


def test_a_bureau_is_too_big_by_the_centers_of_its_own_scope(city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    bureau, district_bureau, reviewer = city.user("bureau"), city.user("bureau_a"), city.user("reviewer_a")
    assert not any(scale.bureau_too_big_to_count(u) for u in (bureau, district_bureau, reviewer))
    in_district = Center.objects.filter(district_id=district_bureau.district_id).count()
    # Between the district's centers and the city's: only the city bureau's scope is past the limit.
    monkeypatch.setattr(scale, "LIVE_CENTERS", in_district)
    assert Center.objects.count() > in_district
    assert scale.bureau_too_big_to_count(bureau)
    assert not scale.bureau_too_big_to_count(district_bureau)
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)
    assert scale.bureau_too_big_to_count(district_bureau)
    assert not scale.bureau_too_big_to_count(reviewer)  # a center's staff count their own center, always
