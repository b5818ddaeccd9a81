"""The banner of ``make run``: while the demo seeder works in the background, the public home page and the office
home page show how far it got, poll for more with htmx, and show nothing once it is done."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.demo_seed import demo_seed_finish, demo_seed_start, demo_seed_update
from fayuan.core.models import TaskOutcome

pytestmark = pytest.mark.django_db

RUNNING_TEXT = "演示数据正在后台生成：37%（回放近 12 个月的案件和咨询：已到 2026年05月01日）"


def _running() -> Any:
    row = demo_seed_start()
    demo_seed_update(row, done=37, stage="回放近 12 个月的案件和咨询：已到 2026年05月01日")
    return row


def _office_home(client: Client, city: Any) -> str:
    sign_in(client, city.user("reviewer_a"))
    return client.get(reverse("accounts:home")).content.decode()


@pytest.mark.parametrize("page", ["portal", "office"])
def test_running_banner_is_an_accessible_progress_bar_that_polls(client: Client, city: Any, page: str) -> None:
    _running()
    html = client.get(reverse("portal:home")).content.decode() if page == "portal" else _office_home(client, city)
    assert RUNNING_TEXT in html
    assert 'role="progressbar"' in html and 'aria-valuenow="37"' in html and 'aria-valuemax="100"' in html
    assert f'hx-get="{reverse("demo_seed_progress")}"' in html and 'hx-trigger="every 3s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert "vendor/htmx/htmx" in html  # vendored, on the portal too (whose pages otherwise run no script)


def test_the_dashboard_shows_the_banner_while_its_figures_are_still_being_replayed(client: Client, city: Any) -> None:
    sign_in(client, city.user("bureau"))
    row = _running()
    assert RUNNING_TEXT in client.get(reverse("stats:dashboard")).content.decode()
    demo_seed_finish(row, outcome=TaskOutcome.SUCCEEDED, message="演示数据已全部生成。")
    assert "demo-seed" not in client.get(reverse("stats:dashboard")).content.decode()


def test_the_fragment_follows_the_seeder_and_is_empty_when_done(client: Client, city: Any) -> None:
    url = reverse("demo_seed_progress")
    assert client.get(url).content.strip() == b""  # nothing seeded in the background: nothing to show
    row = _running()
    assert RUNNING_TEXT in client.get(url).content.decode()
    demo_seed_update(row, done=91, stage="值班、质量、补贴、信息库、走访等其余演示数据")
    assert 'aria-valuenow="91"' in client.get(url).content.decode()
    demo_seed_finish(row, outcome=TaskOutcome.SUCCEEDED, message="演示数据已全部生成。")
    response = client.get(url)
    assert response.status_code == 200 and response.content.strip() == b""  # the outerHTML swap removes it
    assert "演示数据正在后台生成" not in client.get(reverse("portal:home")).content.decode()
    assert "demo-seed" not in _office_home(client, city)


def test_a_stopped_run_is_shown_without_polling(client: Client) -> None:
    row = _running()
    demo_seed_finish(row, outcome=TaskOutcome.FAILED, message="演示历史被中断，无法续做。请运行 make demo-reset。")
    html = client.get(reverse("portal:home")).content.decode()
    assert "演示数据生成未完成：演示历史被中断，无法续做。请运行 make demo-reset。" in html
    assert 'role="alert"' in html and "hx-get" not in html.split('id="demo-seed"')[1].split("</div>")[0]


def test_production_never_shows_or_queries_it(client: Client, settings: Any,
                                              django_assert_num_queries: Any) -> None:
    _running()
    settings.IS_PRODUCTION = True
    with django_assert_num_queries(0):
        response = client.get(reverse("demo_seed_progress"))
    assert response.content.strip() == b""
