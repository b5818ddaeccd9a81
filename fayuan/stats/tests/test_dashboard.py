"""The dashboards: each figure equals the count recomputed from the raw records (``recount.py``), before and after
the rollups are rebuilt; scope (a center its own, a district bureau its district, nobody else's) and the query
budget of the page; the XLSX export; the records behind a figure."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fayuan.accounts.testing import sign_in
from fayuan.cases import services as cases
from fayuan.core.tests.access_support import Cases
from fayuan.stats import dashboard as board_module
from fayuan.stats.models import Tally
from fayuan.stats.services import tally_rebuild
from fayuan.stats.tests import recount

URL = "/office/stats/dashboard/"
CASE_LINK = re.compile(r'href="/office/cases/[0-9a-f-]{36}/"')
FIGURES = ("aid_rate", "aid_total", "monthly", "by_type", "criminal_origin", "groups", "green_and_aid_first",
           "closed_and_recovered", "applications_and_refused", "deadlines", "staff", "typical")


def _board(user: Any, **kwargs: Any) -> board_module.Dashboard:
    return board_module.dashboard(user, today=timezone.localdate(), **kwargs)


@pytest.mark.parametrize("figure", FIGURES)
def test_each_figure_equals_the_raw_records_before_and_after_a_rebuild(year_of_work: Any, figure: str) -> None:
    city = year_of_work
    for user, district in ((city.user("bureau"), None), (city.user("bureau"), city.district_b.pk),
                           (city.user("reviewer_a"), None), (city.user("bureau_a"), None)):
        board = _board(user, district=district)
        assert recount.figures_of(board)[figure] == recount.recount(board)[figure], (user.username, district)
    before = sorted(Tally.objects.values_list("measure", "center_id", "district_id", "month", "key", "count",
                                              "amount"))
    tally_rebuild()
    board = _board(city.user("bureau"))
    assert recount.figures_of(board)[figure] == recount.recount(board)[figure]
    # The subscriber's cells and the rebuild's are the same cells (merged: the subscriber may split a cell).
    after = sorted(Tally.objects.values_list("measure", "center_id", "district_id", "month", "key", "count",
                                             "amount"))
    assert _merged(before) == _merged(after)


def _merged(rows: list[tuple]) -> dict[tuple, tuple[int, Decimal]]:
    out: dict[tuple, tuple[int, Decimal]] = {}
    for *address, n, amount in rows:
        key = tuple(address)
        count, money = out.get(key, (0, Decimal(0)))
        out[key] = (count + n, money + amount)
    return out


def test_the_hand_count_of_the_fixture(year_of_work: Any) -> None:
    city = year_of_work
    board = _board(city.user("bureau"))
    rates = {r.name: r for r in board.aid_rates}
    # Center A: closed (granted), aid first, notice = 3; refused does not count. Center B: 1.
    assert rates["京口区"].aided == 3 and rates["丹阳市"].aided == 1
    assert rates["京口区"].rate == Decimal("5.00")  # 3 / 6000 × 10000
    assert board.aid_total.aided == 4 and board.aid_first == 1 and board.refused == 1
    assert board.closed == 1 and board.money_recovered == Decimal("12345.67")
    assert board.criminal_origin == {"notice": 1, "application": 0}
    staff_a = next(r for r in board.staff if r.center.pk == city.center_a.pk)
    assert (staff_a.staff, staff_a.qualified, staff_a.certified) == (3, 1, 1)
    assert staff_a.percent == Decimal("33.33") and staff_a.meets is False
    decide = next(r for r in board.deadlines if r.code == "decide")
    assert decide.on_time >= 3 and decide.late == 0


def test_a_rolled_back_event_leaves_no_cell(city: Any) -> None:
    case = Cases(city).get("received", fresh=True)
    before = Tally.objects.filter(measure="aided").count()
    from django.db import transaction

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        cases.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
        raise Boom
    assert Tally.objects.filter(measure="aided").count() == before


def test_the_projection_carries_the_pace_to_the_year_end() -> None:
    period = board_module.Period(2026, dt.date(2026, 7, 2))  # day 183 of 365
    assert period.days_elapsed == 183
    assert period.project(183) == 365
    assert board_module.Period(2025, dt.date(2025, 12, 31)).project(40) == 40


def test_scope_a_center_sees_its_own_and_nobody_picks_another_district(year_of_work: Any, client: Any) -> None:
    city = year_of_work
    board = _board(city.user("reviewer_b"))
    assert board.scope.center_ids == (city.center_b.pk,) and board.aid_total.aided == 1
    sign_in(client, city.user("bureau_a"))
    assert client.get(f"{URL}?district={city.district_b.pk}").status_code == 404
    sign_in(client, city.user("reviewer_a"))
    assert client.get(f"{URL}?district={city.district_a.pk}").status_code == 404
    for key in ("provider_a", "clerk_a", "organ_a", "auditor"):
        sign_in(client, city.user(key))
        assert client.get(URL).status_code == 404, key


def test_the_page_draws_every_figure_within_the_query_budget(year_of_work: Any, client: Any,
                                                             django_assert_max_num_queries: Any) -> None:
    city = year_of_work
    sign_in(client, city.user("bureau"))
    with django_assert_max_num_queries(19):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for testid in ("aid-rates", "monthly", "types", "groups", "deadlines", "staff", "dashboard-data"):
        assert testid in html
    assert "echarts.min.js" in html and "cdn" not in html.lower()
    sign_in(client, city.user("director_a"))
    with django_assert_max_num_queries(19):
        assert client.get(URL).status_code == 200


def test_the_home_of_a_director_and_the_bureau_opens_on_the_dashboard(year_of_work: Any, client: Any) -> None:
    city = year_of_work
    for key in ("director_a", "bureau"):
        sign_in(client, city.user(key))
        home = client.get("/office/").content.decode()
        assert 'data-testid="home-dashboard"' in home and "/office/stats/dashboard/summary/" in home
        summary = client.get("/office/stats/dashboard/summary/").content.decode()
        assert "每万人受援率" in summary and "法定期限按期率" in summary
        assert 'href="/office/stats/reports/"' in home  # the statistical report is one click from home
    sign_in(client, city.user("reviewer_a"))
    home = client.get("/office/").content.decode()
    assert 'data-testid="home-dashboard"' not in home and 'href="/office/stats/reports/"' in home


def test_each_figure_exports_to_xlsx_with_its_definition(year_of_work: Any, client: Any) -> None:
    city = year_of_work
    sign_in(client, city.user("bureau"))
    response = client.get(f"{URL}export/?figure=aid_rate")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "每万人受援率" in rows[0][0]
    total = rows[-1]
    assert total[2] == 4  # the city's aided
    whole = load_workbook(io.BytesIO(client.get(f"{URL}export/").content))
    assert len(whole.sheetnames) == 8
    assert client.get(f"{URL}export/?figure=nonsense").status_code == 404


def test_the_records_behind_a_figure_are_the_cases_it_counts(year_of_work: Any, client: Any) -> None:
    city = year_of_work
    year = timezone.localdate().year
    sign_in(client, city.user("reviewer_a"))
    page = client.get(f"/office/stats/records/?measure=aided&year={year}").content.decode()
    assert len(CASE_LINK.findall(page)) == 3
    # Center A's reviewer opens none of center B's cases, even naming its district.
    page = client.get(f"/office/stats/records/?measure=aided&year={year}&district={city.district_b.pk}")
    assert "没有记录" in page.content.decode()
    sign_in(client, city.user("bureau"))
    page = client.get(f"/office/stats/records/?measure=closed&year={year}").content.decode()
    assert len(CASE_LINK.findall(page)) == 1
    assert client.get("/office/stats/records/?measure=bogus").status_code == 404


def test_the_quality_figures_are_the_rollups_own(year_of_work: Any) -> None:
    """The quality and subsidy figures are recounted from the raw rows in test_quality_rollups.py; the dashboard
    shows the same figures for its centers, read from its one query of cells."""
    from fayuan.stats.figures_quality import per_center, quality_figures

    city = year_of_work
    board = _board(city.user("bureau"))
    ids = [c.pk for c in board.scope.centers]
    assert board.quality == quality_figures(ids, board.period.year, board.period.until)
    assert [r.figures for r in board.quality_rows] == [
        r.figures for r in sorted(per_center(ids, board.period.year, board.period.until),
                                  key=lambda r: ids.index(r.center_id))]
    assert board.quality.closed == 1


def test_the_records_behind_the_applications_are_those_received_in_the_year(year_of_work: Any, client: Any) -> None:
    city = year_of_work
    sign_in(client, city.user("bureau"))
    page = client.get(f"/office/stats/records/?measure=applications&year={timezone.localdate().year}")
    assert len(CASE_LINK.findall(page.content.decode())) == _board(city.user("bureau")).applications


def test_a_paused_deadline_is_not_counted_overdue(city: Any) -> None:
    """The dashboard's "overdue, not done" counts the running deadlines past due, as the queues do: a clock paused
    while the applicant's supplementary materials are awaited is neither due nor overdue."""
    from fayuan.cases.tests.conftest import receive
    from fayuan.deadlines.models import Deadline

    paused, running = receive(city), receive(city)
    cases.supplement_request(actor=city.user("reviewer_a"), public_id=paused.public_id, items=["收入证明"])
    today = timezone.localdate()
    Deadline.objects.filter(met_at=None, cancelled_at=None).update(due_on=today - dt.timedelta(days=1),
                                                                   started_on=today - dt.timedelta(days=9))
    assert Deadline.objects.filter(met_at=None, cancelled_at=None, paused_at__isnull=False).exists()
    board = _board(city.user("bureau"))
    assert board.overdue_open == Deadline.objects.filter(met_at=None, cancelled_at=None, paused_at=None).count() >= 1
    assert board.overdue_open < Deadline.objects.filter(met_at=None, cancelled_at=None).count()
    assert running.pk  # the other case's decision clock is among those counted


def _tbody(html: str, testid: str) -> str:
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_a_scope_with_more_centers_than_the_page_holds_shows_those_that_need_attention(
        year_of_work: Any, client: Any, monkeypatch: Any) -> None:
    """A country's bureau would see ~3,000 centers: the page lists those furthest from the target and says how
    many there are; the totals and the export keep them all (a city's handful all show, in their usual order)."""
    from fayuan.stats import shortlist

    city = year_of_work
    sign_in(client, city.user("bureau"))
    whole = client.get(URL).content.decode()
    assert "京口区" in _tbody(whole, "aid-rates") and "丹阳市" in _tbody(whole, "aid-rates")
    assert 'data-testid="shortlist-note"' not in whole

    board = _board(city.user("bureau"))
    districts = [r.name for r in board.aid_rates]
    # With the populations of the fixture: 京口区 5.00 per 10,000, 丹阳市 1.11, the others 0 or no population.
    worst = min(board.aid_rates, key=shortlist.aid_rate_attention).name
    assert worst not in ("京口区", "丹阳市") and len(districts) > 2
    monkeypatch.setattr(shortlist, "ON_PAGE", 1)
    html = client.get(URL).content.decode()
    rates = _tbody(html, "aid-rates")
    assert rates.count("<tr>") == 1 and worst in rates and "京口区" not in rates
    assert f"共 {len(districts)} 个行政区，此处列出最需关注的 1 个" in html
    total = html.split('data-testid="aid-rates"', 1)[1].split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert ">4</a>" in total  # the city's four aided, in every district
    staff = _tbody(html, "staff")
    assert staff.count("<tr>") == 1 and city.center_a.name not in staff  # 33% qualified: others have no figure
    chart = json.loads(html.split('id="dashboard-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert chart["aidRate"]["names"] == [worst]
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}export/?figure=aid_rate").content)).active
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert set(districts) <= names  # the export keeps every row
    monkeypatch.setattr(shortlist, "ON_PAGE", len(districts) - 1)  # 京口区 (5.00) is the one left out
    rates = _tbody(client.get(URL).content.decode(), "aid-rates")
    assert "丹阳市" in rates and "京口区" not in rates


def test_shortlist_puts_missing_and_unmet_figures_first() -> None:
    from types import SimpleNamespace as Row

    from fayuan.stats.shortlist import aid_rate_attention, shortlist

    rows = [Row(name="met", meets=True, projected_rate=Decimal("12")),
            Row(name="low", meets=False, projected_rate=Decimal("3")),
            Row(name="lower", meets=False, projected_rate=Decimal("1")),
            Row(name="no population", meets=None, projected_rate=None)]
    assert [r.name for r in shortlist(rows, aid_rate_attention, limit=4).rows] == [r.name for r in rows]
    short = shortlist(rows, aid_rate_attention, limit=3)
    assert [r.name for r in short.rows] == ["no population", "lower", "low"] and short.hidden == 1
