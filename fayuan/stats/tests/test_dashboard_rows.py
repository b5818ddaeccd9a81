"""The per-center rows of the dashboard, read as tuples rather than model rows (a country's scope has 3,000
centers): the staff figures count the qualifications held on the day, as ``StaffQualification.valid_on`` says and
as the recount (``recount.staff``) counts them independently; the 范围 selector's options are escaped and mark the
district shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.core.options import district_options
from fayuan.org.models import QualificationKind, Staff, StaffQualification
from fayuan.stats import dashboard as board_module
from fayuan.stats.dashboard import ScopeDistrict
from fayuan.stats.tests import recount
from fayuan.stats.tests.test_dashboard import CASE_LINK

URL = "/office/stats/dashboard/"


def test_staff_count_only_the_qualifications_held_on_the_last_day_counted(year_of_work: Any) -> None:
    city = year_of_work
    today = timezone.localdate()
    lapsed = Staff.objects.create(name="证书已失效", center=city.center_a)
    StaffQualification.objects.create(staff=lapsed, kind=QualificationKind.LEGAL_PROFESSION,
                                      valid_from=dt.date(2015, 1, 1), valid_to=today)  # not valid on its last day
    not_yet = Staff.objects.create(name="尚未取得", center=city.center_b)
    StaffQualification.objects.create(staff=not_yet, kind=QualificationKind.LEGAL_AID_PERMIT,
                                      valid_from=today + dt.timedelta(days=1))
    left = Staff.objects.create(name="已离职", center=city.center_a, active=False)
    StaffQualification.objects.create(staff=left, kind=QualificationKind.LEGAL_PROFESSION,
                                      valid_from=dt.date(2015, 1, 1))
    for user, district in ((city.user("bureau"), None), (city.user("bureau"), city.district_a.pk),
                           (city.user("reviewer_b"), None)):
        board = board_module.dashboard(user, district=district, today=today)
        counted = {r.center.name: (r.staff, r.qualified, r.certified, r.certified_active) for r in board.staff}
        assert counted == recount.staff(board), (user.username, district)
    city_board = board_module.dashboard(city.user("bureau"), today=today)
    row_a = next(r for r in city_board.staff if r.center.pk == city.center_a.pk)
    assert (row_a.staff, row_a.qualified, row_a.certified) == (4, 1, 1)  # the lapsed one is staff, not qualified
    row_b = next(r for r in city_board.staff if r.center.pk == city.center_b.pk)
    assert row_b.certified == 0


def test_the_scope_selector_escapes_names_and_marks_the_district_shown(year_of_work: Any, client: Any) -> None:
    options = district_options([ScopeDistrict(1, "<b>甲区</b>"), ScopeDistrict(2, "乙区 & \"丙\"")], 2)
    assert options == ('<option value="1">&lt;b&gt;甲区&lt;/b&gt;</option>'
                       '<option value="2" selected>乙区 &amp; &quot;丙&quot;</option>')
    city = year_of_work
    sign_in(client, city.user("bureau"))
    html = client.get(f"{URL}?district={city.district_a.pk}").content.decode()
    assert f'<option value="{city.district_a.pk}" selected>{city.district_a.name}</option>' in html
    assert f'<option value="{city.district_b.pk}">{city.district_b.name}</option>' in html
    report = client.get(f"/office/stats/reports/?period=2026&district={city.district_a.pk}").content.decode()
    assert f'<option value="{city.district_a.pk}" selected>{city.district_a.name}</option>' in report
    sign_in(client, city.user("bureau_a"))  # a district bureau has no selector: its district is its scope
    assert 'id="dash-district"' not in client.get(URL).content.decode()
    assert 'id="report-district"' not in client.get("/office/stats/reports/?period=2026").content.decode()


def test_the_records_behind_each_figure_number_the_figure(year_of_work: Any, client: Any) -> None:
    """The records are found from the period's events first, then each case's counted time decides (a case aided
    earlier and granted again in the period is not the period's): every list numbers its figure, for the year and
    for this month."""
    city = year_of_work
    today = timezone.localdate()
    sign_in(client, city.user("bureau"))
    board = board_module.dashboard(city.user("bureau"), today=today)
    figures = {"aided": board.aid_total.aided, "green_channel": board.green_channel, "aid_first": board.aid_first,
               "closed": board.closed, "refused": board.refused, "applications": board.applications}
    assert figures["aided"] and figures["closed"] and figures["refused"]
    for measure, figure in figures.items():
        html = client.get(f"/office/stats/records/?measure={measure}&year={today.year}").content.decode()
        assert f"共 {figure} 件" in html, measure
        month = client.get(f"/office/stats/records/?measure={measure}&year={today.year}&month={today.month}")
        assert f"共 {board.monthly[today.year][today.month - 1]} 件" in month.content.decode() or measure != "aided"


def test_a_countrys_records_are_listed_without_a_total(year_of_work: Any, client: Any, monkeypatch: Any) -> None:
    """Past ``LIVE_CENTERS`` centers the records behind a figure of the whole scope are read page by page with no
    count (core.capped.UncountedPaginator): the same cases as the counted list, and no COUNT statement. Narrowed to
    a district, or for a center, the list is counted as before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fayuan.org import scale

    city = year_of_work
    year = timezone.localdate().year
    records = f"/office/stats/records/?measure=aided&year={year}"
    sign_in(client, city.user("bureau"))
    counted = client.get(records).content.decode()
    assert "共 4 件" in counted and 'data-testid="not-counted"' not in counted

    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)
    with CaptureQueriesContext(connection) as queries:
        uncounted = client.get(records).content.decode()
    assert 'data-testid="not-counted"' in uncounted and "共 4 件" not in uncounted and "第 1 /" not in uncounted
    assert CASE_LINK.findall(uncounted) == CASE_LINK.findall(counted)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "cases_case" in q["sql"]]
    narrowed = client.get(f"{records}&district={city.district_a.pk}").content.decode()
    assert 'data-testid="not-counted"' not in narrowed and "共 " in narrowed
    # A district bureau past the limit reads its own scope uncounted too; a center's staff always count theirs.
    sign_in(client, city.user("bureau_a"))
    assert 'data-testid="not-counted"' in client.get(records).content.decode()
    sign_in(client, city.user("reviewer_a"))
    assert "共 3 件" in client.get(records).content.decode()
