"""The quality pages at a country's bureau: over more than ``LIVE_CENTERS`` centers the city bureau's overview and
gaps page count no closed case (an anti-join over every closing of the country), point to the dashboard's stored
quality table and let the bureau pick a district, which counts live. Narrower scopes count live at any size; a
district that is not the bureau's to pick says so and narrows nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.org import scale
from fayuan.quality import selectors

from .support import closed_case

GAPS = reverse("quality:gaps")


@pytest.fixture
def country(monkeypatch: Any) -> None:
    """The demo city stands for a country: any number of centers is more than the live limit."""
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)


def test_a_countrys_bureau_counts_no_closing_and_is_sent_to_the_dashboard_or_a_district(client, city, country):
    case = closed_case(city)
    bureau = city.user("bureau")
    assert selectors.scope_too_big_to_count(bureau)
    overview = selectors.overview(bureau)
    assert overview.gaps is None and overview.grades is None
    sign_in(client, bureau)
    index = client.get(reverse("quality:index")).content.decode()
    assert "按区县查看" in index and 'data-testid="grades-not-counted"' in index
    assert reverse("stats:dashboard") + "#h-quality" in index
    page = client.get(GAPS).content.decode()
    assert 'data-testid="gaps-not-counted"' in page and case.number not in page
    assert f'<option value="{city.district_a.pk}">京口区</option>' in page
    # The district picked counts live: its center's closing, and not the other district's.
    picked = client.get(GAPS, {"district": city.district_a.pk}).content.decode()
    assert "gaps-not-counted" not in picked and case.number in picked and city.center_a.name in picked
    assert f'<option value="{city.district_a.pk}" selected>' in picked
    other = client.get(GAPS, {"district": city.district_b.pk}).content.decode()
    assert case.number not in other and "没有结案案件" in other


@pytest.mark.parametrize("user_key", ["bureau_a", "reviewer_a"])
def test_a_district_bureau_and_a_center_count_live_whatever_the_country(client, city, country, user_key):
    case = closed_case(city)
    user = city.user(user_key)
    assert not selectors.scope_too_big_to_count(user)
    assert selectors.overview(user).gaps == 1 and selectors.districts_to_pick(user) == []
    sign_in(client, user)
    page = client.get(GAPS).content.decode()
    assert case.number in page and 'id="gaps-district"' not in page
    # Only the city bureau narrows by district: the parameter is not theirs, and their scope stays as it is.
    asked = client.get(GAPS, {"district": city.district_b.pk}).content.decode()
    assert case.number in asked


def test_the_city_bureau_narrows_the_gaps_to_a_district_at_any_size(client, city):
    case = closed_case(city)
    bureau = city.user("bureau")
    assert not selectors.scope_too_big_to_count(bureau)
    sign_in(client, bureau)
    whole = client.get(GAPS).content.decode()
    assert case.number in whole and '<option value="">全市</option>' in whole
    narrowed = client.get(GAPS, {"district": city.district_b.pk}).content.decode()
    assert case.number not in narrowed


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "99999999", "1; drop table"])
def test_a_district_that_is_not_the_bureaus_to_pick_says_so_and_narrows_nothing(client, city, bad):
    case = closed_case(city)
    sign_in(client, city.user("bureau"))
    response = client.get(GAPS, {"district": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "未找到该区县，请从列表中选择。" in page and case.number in page
