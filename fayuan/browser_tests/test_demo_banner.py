"""The demo seeder's banner on the public home page, in a real browser: it follows the seeder by polling (htmx,
no reload), shows the percentage to screen readers too, and goes by itself when the seeder is done; a seeder that
stopped short leaves a warning that no longer polls. ``make run`` serves the site while the history fills in
behind it (issue 15, part 5), so this banner is the first thing a newcomer sees."""

# ruff: noqa: S101  (pytest asserts)

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POLL = 1  # seconds between polls in these tests (3 on the site)


def _home(new_context: Any, monkeypatch: Any) -> tuple[Any, list[str]]:
    from fayuan.core import demo_seed

    monkeypatch.setattr(demo_seed, "POLL_SECONDS", POLL)
    page = new_context("phone").new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.goto("/")
    page.evaluate("window.loadedOnce = true")  # gone if the page were reloaded instead of swapped in place
    return page, problems


def test_the_banner_follows_the_seeder_in_place_and_goes_when_it_is_done(portal_data: Any, new_context: Any,
                                                                          monkeypatch: Any) -> None:
    from playwright.sync_api import expect

    from fayuan.core.demo_seed import demo_seed_finish, demo_seed_start, demo_seed_update
    from fayuan.core.models import TaskOutcome

    row = demo_seed_start()
    demo_seed_update(row, done=30, stage="受理与审查")
    page, problems = _home(new_context, monkeypatch)
    banner = page.get_by_test_id("demo-seed")
    expect(banner).to_contain_text("演示数据正在后台生成：30%（受理与审查）")
    expect(banner.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "30")

    demo_seed_update(row, done=60, stage="指派与办理")
    expect(banner).to_contain_text("60%（指派与办理）", timeout=POLL * 5000)
    expect(banner.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "60")

    demo_seed_finish(row, outcome=TaskOutcome.SUCCEEDED)
    expect(page.get_by_test_id("demo-seed")).to_have_count(0, timeout=POLL * 5000)
    assert page.evaluate("window.loadedOnce === true"), "the page was reloaded; the banner should be swapped in place"
    expect(page.get_by_role("heading", level=1)).to_contain_text("法律援助免费为您提供法律服务")
    assert not problems, "\n".join(problems)


def test_a_seeder_that_stopped_short_leaves_a_warning_that_no_longer_polls(portal_data: Any, new_context: Any,
                                                                           monkeypatch: Any) -> None:
    from playwright.sync_api import expect

    from fayuan.core.demo_seed import demo_seed_finish, demo_seed_start, demo_seed_update
    from fayuan.core.models import TaskOutcome

    row = demo_seed_start()
    demo_seed_update(row, done=40)
    page, problems = _home(new_context, monkeypatch)
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/demo-seed/" in r.url else None)
    demo_seed_finish(row, outcome=TaskOutcome.FAILED, message="生成过程被中断。")
    warning = page.get_by_test_id("demo-seed")
    expect(warning).to_contain_text("演示数据生成未完成：生成过程被中断。", timeout=POLL * 5000)
    expect(warning).to_have_attribute("role", "alert")
    seen = len(polls)
    page.wait_for_timeout(POLL * 2500)
    assert len(polls) == seen, "the warning should not poll any more"
    assert not problems, "\n".join(problems)
