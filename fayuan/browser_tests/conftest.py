"""Fixtures of the browser tests: one chromium per run of this package, a phone and a desktop context against
pytest-django's live server, and the city the journey needs (seeded through the services).

Without playwright or /usr/bin/chromium the tests skip with the reason; in CI (``CI=true``) they fail instead, so
the journey cannot silently vanish from a green run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from fayuan.cases.tests.conftest import providers  # noqa: F401  (center A's lawyers, re-used by the journey)
from fayuan.notifications.sms import LoggingSMSBackend

from .support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright==1.65.2, a dev dependency in pyproject.toml)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium; `make sysdeps` installs it)"
    return ""


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless chromium for all the browser tests a worker runs (started on first use, stopped when the worker
    leaves this package)."""
    missing = _missing()
    if missing:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"browser tests must run in CI: {missing}", pytrace=False)
        pytest.skip(f"browser tests skipped: {missing}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    own = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio event loop running in this (the test) thread for as long as it is
        # started. Django then takes every ORM call made here (the fixtures seeding data, the flush after each test)
        # for a call from async code and raises SynchronousOnlyOperation. Nothing here is async: the calls are plain
        # blocking ones, and the live server answers the browser from threads of its own. So the check is switched
        # off exactly while Playwright runs, and restored when this fixture ends, not for the rest of the suite.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # For the same reason Django's connection handler (an asgiref thread-critical Local) switches to a
            # per-context storage and would open a second connection object in this thread: one without the rows
            # serialized for serialized_rollback (so the rule data from migrations would silently not come back
            # after a flush), and a second writer on the shared in-memory SQLite database. Handing it the thread's
            # own connections keeps a single one, as without a browser.
            for alias, connection in own.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def _rule_rows(db: Any) -> None:
    """The rule rows of the data migrations (matters, person tags, deadlines) must be there: a transactional test
    flushes them, and only ``serialized_rollback=True`` brings them back."""
    from fayuan.eligibility.models import Matter
    from fayuan.people.models import PersonTag

    if not (Matter.objects.exists() and PersonTag.objects.exists()):
        pytest.fail("the rows of the data migrations are missing: mark browser tests "
                    "@pytest.mark.django_db(transaction=True, serialized_rollback=True)", pytrace=False)


@pytest.fixture
def portal_data(_rule_rows: None, city: Any, providers: Any, settings: Any, tmp_path: Any) -> Iterator[Any]:  # noqa: F811
    """The shared city (京口区 and 丹阳市, centers, stations, staff) with four lawyers of center A who have room, an
    empty SMS outbox, and uploads kept in a temporary folder. The live server runs in this process, so the
    settings and the outbox are the ones it uses."""
    settings.MEDIA_ROOT = tmp_path / "media"
    LoggingSMSBackend.outbox.clear()
    yield city
    LoggingSMSBackend.outbox.clear()


def _context(browser: Browser, base_url: str, options: dict[str, Any], **extra: Any) -> BrowserContext:
    context = browser.new_context(base_url=base_url, **options, **extra)
    context.set_default_timeout(10_000)
    # The browser asks for /favicon.ico on its own, in parallel with the test's next request; the site has none.
    # Answering it here keeps that stray request away from the live server (and its shared in-memory database).
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    return context


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Any]:
    """Make browser contexts against the live server: ``new_context("phone" | "desktop", **options)``. All are
    closed after the test."""
    made: list[BrowserContext] = []

    def make(kind: str = "phone", **extra: Any) -> BrowserContext:
        context = _context(browser, live_server.url, PHONE if kind == "phone" else DESKTOP, **extra)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
