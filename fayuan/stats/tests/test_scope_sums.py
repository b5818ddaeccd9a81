"""A scope of thousands of centers reads its dashboard's sums stored by a job (``stats/scope_cells.py``). Here the
limit is lowered so that the test city counts as such a scope: its stored figures equal the live ones, a new case
shows once the job sums again (or once the stored sums are stale, or of another day), the page says when they were
summed, and a rebuild of the rollups drops them. At the shipped limit a city never stores any."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import granted
from fayuan.conftest import make_district
from fayuan.deadlines.models import Deadline
from fayuan.org import scale
from fayuan.stats import dashboard as board_module
from fayuan.stats import scope_cells
from fayuan.stats.models import ScopeSums, Tally
from fayuan.stats.services import scope_sums_store, tally_rebuild
from fayuan.stats.tasks import sum_big_scopes

URL = "/office/stats/dashboard/"


def _board(user: Any, **kwargs: Any) -> board_module.Dashboard:
    return board_module.dashboard(user, today=timezone.localdate(), **kwargs)


def _figures(board: board_module.Dashboard) -> dict[str, Any]:
    """Every figure the case cells give the page."""
    return {
        "aid_rates": [(r.district_id, r.aided) for r in board.aid_rates], "aid_total": board.aid_total.aided,
        "monthly": board.monthly, "by_type": board.by_type, "criminal_origin": board.criminal_origin,
        "groups": board.groups, "green": board.green_channel, "aid_first": board.aid_first, "closed": board.closed,
        "money": board.money_recovered, "applications": board.applications, "refused": board.refused,
        "deadlines": [(r.code, r.on_time, r.late) for r in board.deadlines], "overdue_open": board.overdue_open,
        "quality": vars(board.quality), "quality_rows": [(r.center_id, vars(r.figures)) for r in board.quality_rows],
    }


@pytest.fixture
def country(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test city's handful of centers counted as a country's thousands."""
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)


def test_a_city_sums_its_cells_on_each_view_and_stores_nothing(year_of_work: Any) -> None:
    board = _board(year_of_work.user("bureau"))
    assert board.summed_at is None and board.aid_total.aided > 0
    assert board_module.summed_scopes() == []
    assert sum_big_scopes.call() == 0
    with pytest.raises(ValueError, match="中心不多"):
        scope_sums_store(scope=board.scope, period=board.period, today=timezone.localdate())
    assert not ScopeSums.objects.exists()


def test_stored_sums_give_the_live_figures_and_spare_the_cells(year_of_work: Any, country: None) -> None:
    bureau = year_of_work.user("bureau")
    with pytest.MonkeyPatch.context() as live:
        live.setattr(scale, "LIVE_CENTERS", 10_000)
        expected = _figures(_board(bureau))
    first = _board(bureau)  # nothing stored yet: summed now, and stored
    assert first.summed_at is not None and _figures(first) == expected
    assert ScopeSums.objects.get().scope_key == "city:"
    with CaptureQueriesContext(connection) as queries:
        second = _board(bureau)
    assert _figures(second) == expected and second.summed_at == first.summed_at
    # Neither a cell nor a deadline read: the overdue deadlines are counted with the sums.
    assert not [q for q in queries.captured_queries
                if Tally._meta.db_table in q["sql"] or Deadline._meta.db_table in q["sql"]]
    # The second view decoded the stored sums; this process keeps them, and the next view reads only their time.
    with CaptureQueriesContext(connection) as queries:
        assert _figures(_board(bureau)) == expected
    stored = [q["sql"] for q in queries.captured_queries if ScopeSums._meta.db_table in q["sql"]]
    assert len(stored) == 1 and '"by_key"' not in stored[0]
    # Stored again (the job), the next view reads and shows the new sums.
    granted(year_of_work)
    assert sum_big_scopes.call() > 0
    third = _board(bureau)
    assert third.summed_at > first.summed_at and third.aid_total.aided == first.aid_total.aided + 1
    # A district bureau's scope has its own sums, equal to its live figures too.
    district_bureau = year_of_work.user("bureau_a")
    with pytest.MonkeyPatch.context() as live:
        live.setattr(scale, "LIVE_CENTERS", 10_000)
        expected_district = _figures(_board(district_bureau))
    assert _figures(_board(district_bureau)) == expected_district != expected
    assert ScopeSums.objects.filter(scope_key=f"district:{district_bureau.district_id}").exists()


def test_a_new_case_shows_once_the_job_sums_again(city: Any, country: None) -> None:
    bureau = city.user("bureau")
    granted(city)
    before = _board(bureau)
    assert before.aid_total.aided == 1
    granted(city)
    assert _board(bureau).aid_total.aided == 1  # the stored sums of a moment ago
    client = Client()
    sign_in(client, bureau)
    page = client.get(URL).content.decode()
    assert 'data-testid="summed-at"' in page and "每 10 分钟更新一次" in page

    # The city and its two districts, the city's report for four periods (test_report_sums.py) and the closings of
    # this year and last (subsidies' test_closing_sums.py): one size limit for all three.
    assert len(board_module.summed_scopes()) == 3
    assert sum_big_scopes.call() == 3 + 4 + 2
    after = _board(bureau)
    assert after.aid_total.aided == 2 and after.summed_at > before.summed_at


def test_stale_sums_and_sums_of_another_day_are_summed_again_by_the_view(city: Any, country: None) -> None:
    bureau = city.user("bureau")
    granted(city)
    _board(bureau)
    granted(city)
    later = timezone.now() + scope_cells.STALE_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # the job stopped: the view does not show sums this old
        assert _board(bureau).aid_total.aided == 2
    granted(city)
    stored = ScopeSums.objects.get(scope_key="city:")
    assert stored.until == timezone.localdate(later)
    # A view the next day: the sums stored yesterday counted to yesterday.
    tomorrow = timezone.localdate(later) + dt.timedelta(days=1)
    board = board_module.dashboard(bureau, today=tomorrow)
    assert board.aid_total.aided == 3 or tomorrow.year != timezone.localdate().year


def test_a_rebuild_of_the_rollups_drops_the_stored_sums(city: Any, country: None) -> None:
    granted(city)
    _board(city.user("bureau"))
    assert ScopeSums.objects.exists()
    tally_rebuild()
    assert not ScopeSums.objects.exists()
    assert _board(city.user("bureau")).aid_total.aided == 1


def test_the_districts_and_centers_are_read_once_and_again_after_a_change(city: Any) -> None:
    """The scope's district and center lists are cached with the rules (a country's 3,000 of each); a new district
    or center bumps the rule stamp, so the next view lists it."""
    bureau = city.user("bureau")
    _board(bureau)
    with CaptureQueriesContext(connection) as queries:
        _board(bureau)
    lists = ('SELECT "org_district"."id" AS "pk"',
             'SELECT "org_center"."id" AS "pk", "org_center"."name" AS "name", "org_center"."district_id"')
    assert not [q for q in queries.captured_queries if q["sql"].startswith(lists)]
    district, center, _station = make_district("321111", "润州区")
    board = _board(bureau)
    assert district.pk in {d.pk for d in board.scope.districts} and center.pk in {c.pk for c in board.scope.centers}
    center.name = "润州区法律援助中心（新址）"
    center.save()
    assert center.name in {c.name for c in _board(bureau).scope.centers}
