"""The office home page: a long menu grouped by the part of the work, a short one as it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in

pytestmark = pytest.mark.django_db


def test_a_long_home_menu_is_grouped_by_the_part_of_the_work_and_a_short_one_is_not(client, city):
    from fayuan.accounts.views import home_sections

    sign_in(client, city.user("reviewer_a"))
    sections = client.get(reverse("accounts:home")).context["sections"]
    titles = [title for title, _ in sections]
    assert titles == ["日常工作", "刑事法律援助", "质量管理", "受援对象与服务网络", "普法与培训", "办案补贴与经费"]
    grouped = {title: [name for name, _, _ in items] for title, items in sections}
    assert "cases:queue" in grouped["日常工作"] and "criminal:notices" in grouped["刑事法律援助"]
    assert "stats:criminal" in grouped["刑事法律援助"] and "quality:index" in grouped["质量管理"]
    assert {"outreach:households", "registry:query", "places:reach"} <= set(grouped["受援对象与服务网络"])
    assert {"prison_visits:index", "training:list", "publicity:index"} <= set(grouped["普法与培训"])
    assert grouped["办案补贴与经费"] == ["subsidies:list", "subsidies:batches", "subsidies:budgets", "subsidies:tariff"]
    links = client.get(reverse("accounts:home")).context["links"]
    assert sorted(name for _, items in sections for name, _, _ in items) == sorted(name for name, _, _ in links)
    assert home_sections(links[:3]) == [("", links[:3])]
