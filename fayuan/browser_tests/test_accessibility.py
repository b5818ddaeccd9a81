"""axe-core (WCAG 2.0 A/AA and 2.1 AA rules) on every public page, on a phone, in both modes: no serious or critical
violation. The office's sign-in and case queue are checked too and reported, without failing.

The vendored axe.min.js is injected with ``add_script_tag``; the site's CSP (``script-src 'self'``) refuses inline
scripts, so these contexts are made with ``bypass_csp=True`` (the journey keeps the CSP and checks its console).
"""

# ruff: noqa: S101  (pytest asserts)

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fayuan.cases.tests.conftest import receive
from fayuan.conftest import PASSWORD

from .support import SCREENSHOTS, axe_violations, blocking, describe, office_sign_in, shoot, sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = ["/", "/guide/", "/who/", "/bring/", "/hotline/", "/stations/", "/self-check/", "/lawyers/",
                "/lawyer-team/", "/signin/", "/privacy/"]
REPORTS = SCREENSHOTS / "accessibility"


def _set_mode(page: Any, mode: str) -> None:
    """Switch the mode the way a person does: the toggle in the header (it sets the fy_mode cookie)."""
    from playwright.sync_api import expect

    page.goto("/")
    elderly = re.compile(r"\bmode-elderly\b")
    if mode == "elderly":
        page.get_by_test_id("mode-toggle").click()
        expect(page.locator("html")).to_have_class(elderly)
    else:
        expect(page.get_by_test_id("mode-toggle")).to_have_text("大字模式")
        expect(page.locator("html")).not_to_have_class(elderly)


def _fill_self_check(page: Any) -> None:
    page.get_by_label("在哪个区（市）申请").select_option(label="京口区")
    page.get_by_label("民事", exact=True).check()
    page.get_by_label("申请事项（非刑事案件）").select_option("wages")
    page.get_by_label("家里共有几口人（含本人）").fill("3")
    page.get_by_label("全家每月总收入（元）").fill("3000")


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_public_pages_have_no_serious_violations(portal_data: Any, new_context: Any, mode: str) -> None:
    from playwright.sync_api import expect

    page = new_context("phone", bypass_csp=True).new_page()
    _set_mode(page, mode)
    checked: dict[str, list[dict[str, Any]]] = {}

    def check(where: str) -> None:
        # Every page of this run must really be in the mode under test.
        expect(page.locator("html")).to_have_class(re.compile(r"\bmode-elderly\b") if mode == "elderly" else "")
        checked[where] = axe_violations(page)

    for path in PUBLIC_PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, (path, response and response.status)
        check(path)
    # The self-check with a mistake (nothing chosen) and with a result.
    page.goto("/self-check/")
    page.get_by_test_id("selfcheck-submit").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check("/self-check/ (errors)")
    _fill_self_check(page)
    page.get_by_test_id("selfcheck-submit").click()
    expect(page.get_by_test_id("selfcheck-result")).to_be_visible()
    check("/self-check/ (result)")
    # The stations found nearest to a location, and the second sign-in step.
    page.goto("/stations/?lat=32.2&lon=119.45")
    expect(page.get_by_test_id("nearby-note")).to_be_visible()
    check("/stations/?lat&lon")
    page.goto("/signin/")
    page.get_by_label("手机号码").fill("13900000002")
    page.get_by_test_id("otp-request").click()
    expect(page.get_by_test_id("verify-hint")).to_be_visible()
    assert sms_code("13900000002")
    check("/signin/code/")
    shoot(page, f"signin-code-{mode}", REPORTS)

    found = {where: blocking(v) for where, v in checked.items()}
    report = "\n".join(describe(f"{where} [{mode}]", v) for where, v in found.items() if v)
    assert not report, "axe-core found serious or critical violations on public pages:\n" + report


def test_office_pages_are_reported(portal_data: Any, new_context: Any) -> None:
    """Not a gate (the office is the staff's own tool, desktop first): the findings are written to
    screenshots/accessibility/office.txt (and .json) for whoever works on the office templates, and printed
    (``pytest -rP`` shows them)."""
    from playwright.sync_api import expect

    city = portal_data
    case = receive(city)
    page = new_context("desktop", bypass_csp=True).new_page()
    findings: dict[str, list[dict[str, Any]]] = {}
    page.goto("/accounts/login/")
    findings["/accounts/login/"] = axe_violations(page)
    office_sign_in(page, city.user("reviewer_a"), PASSWORD)
    page.goto("/office/cases/")
    expect(page.get_by_role("link", name=case.number).first).to_be_visible()
    findings["/office/cases/"] = axe_violations(page)
    report = "\n".join(describe(where, v) for where, v in findings.items() if v) or "no violations"
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "office.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8")
    (REPORTS / "office.txt").write_text(report + "\n", encoding="utf-8")
    print("axe-core on the office pages (reported, not failing):\n" + report)
