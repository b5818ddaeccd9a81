"""An office table whose cells hold sentences reads on a phone as one card a row (``table-stack`` in office.css):
the minimum-wage table of 行政区与标准, whose legal basis made a 390 px screen scroll sideways through long text."""

# ruff: noqa: S101  (pytest asserts)

from __future__ import annotations

from typing import Any

import pytest

from fayuan.conftest import PASSWORD

from .support import office_sign_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_wage_table_is_read_row_by_row_on_a_phone_without_scrolling_sideways(
        portal_data: Any, new_context: Any) -> None:
    from playwright.sync_api import expect

    page = new_context("phone").new_page()
    office_sign_in(page, portal_data.user("reviewer_a"), PASSWORD)
    page.goto("/office/org/districts/")
    table = page.locator("table.table-stack").first
    basis = table.locator("td[data-label='依据']").first
    expect(basis).to_be_visible()
    shoot(page, "districts-phone")
    layout = page.evaluate("""() => {
      const td = document.querySelector("table.table-stack td[data-label='依据']");
      const box = td.getBoundingClientRect();
      return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
              left: box.left, right: box.right, label: getComputedStyle(td, "::before").content,
              header: document.querySelector("table.table-stack thead").getBoundingClientRect().height};
    }""")
    assert layout["page"] <= layout["viewport"], layout  # nothing wider than the screen
    assert layout["left"] >= 0 and layout["right"] <= layout["viewport"], layout  # the basis is on screen, whole
    assert layout["label"] == '"依据："', layout  # each cell says which column it is
    assert layout["header"] <= 1, layout  # the header row is left to screen readers

    # The same page on a desktop's width (a second sign-in would reuse the authenticator's code, which is refused).
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("table.table-stack thead").first).to_be_visible()  # a table as ever
