"""The criminal legal aid dashboard: each figure checked against a hand-counted fixture; the figures come from the
criminal, custody and duty apps' own report functions, and the page's links lead to the records behind them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import make_district
from fayuan.criminal import services as criminal
from fayuan.criminal.grounds import Procedure
from fayuan.criminal.tests.support import send_notice
from fayuan.custody.services import ForwardingInput, forwarding_record
from fayuan.duty import reports as duty_reports
from fayuan.duty.models import Duty, RotaMonth
from fayuan.org.selectors import centers_in_scope
from fayuan.stats import shortlist
from fayuan.stats.criminal import criminal_dashboard

TZ = timezone.get_current_timezone()
MONTH = dt.date(2026, 10, 1)
URL = "/office/stats/criminal/"


def _at(day: int) -> dt.datetime:
    return dt.datetime.combine(MONTH.replace(day=day), dt.time(10, 0), tzinfo=TZ)


def _fixture(city):
    """Court A: 3 notices in October (one late: hearing 10 days after the notice; one simplified → duty station);
    the court's return: 8 tried, 2 with own counsel. One forwarding left unforwarded past its 24 hours. Station A:
    duties on two working days (Tue 20 and Wed 21 October), the second a no-show."""
    send_notice(city, ground="full_coverage", received_at=_at(5), organ_case_number="(2026)苏1102刑初1号")
    send_notice(city, ground="minor", received_at=_at(6), trial_date=MONTH.replace(day=16),
                organ_case_number="(2026)苏1102刑初2号")
    send_notice(city, ground="full_coverage", procedure=Procedure.SIMPLIFIED, received_at=_at(7),
                organ_case_number="(2026)苏1102刑初3号")
    criminal.trial_return_save(actor=city.user("organ_a"), organ_id=city.organ_a.pk, month=MONTH,
                               defendants_tried=8, with_own_counsel=2)
    forwarding_record(actor=city.user("organ_a"), data=ForwardingInput(
        name="钱七", criminal_stage="trial", forward_now=False,
        received_at=timezone.now() - dt.timedelta(days=3)))
    rota = RotaMonth.objects.create(center=city.center_a, month=MONTH, status="published",
                                    generated_at=timezone.now(), generated_by=city.user("reviewer_a"))
    lawyer = city.user("duty_a").provider
    Duty.objects.create(rota=rota, station=city.station_a, provider=lawyer, date=MONTH.replace(day=20))
    Duty.objects.create(rota=rota, station=city.station_a, provider=lawyer, date=MONTH.replace(day=21), no_show=True)


def test_the_dashboard_figures_match_the_hand_count(city):
    _fixture(city)
    report = criminal_dashboard(city.user("reviewer_a"), MONTH.replace(day=15))
    t = report.notice_totals
    assert (t.total, t.late, t.to_duty) == (3, 1, 1)
    assert t.assigned == 0 and t.within_3_days == 0  # nobody assigned yet
    [court] = report.coverage  # center A's courts: court A only
    assert (court.tried, court.own_counsel, court.notices, court.to_duty, court.rate) == (8, 2, 3, 1, 62.5)
    assert report.breach_total == 1 and report.breaches[0].overdue == 1
    [duty] = report.duty
    assert (duty.covered, duty.no_shows) == (2, 1)
    # The working days are the duty app's (its holiday calendar); the page only adds them up.
    expected_days = sum(c.working_days for c in duty_reports.coverage(city.center_a.pk, MONTH))
    assert duty.working_days == expected_days and duty.percent == round(200 / expected_days, 1)
    assert report.rights == []  # a center does not read the police's rights notifications


def test_the_scope_is_the_centers_own_a_district_bureaus_center_or_every_center(city):
    _fixture(city)
    assert list(centers_in_scope(city.user("reviewer_a"))) == [city.center_a]
    assert list(centers_in_scope(city.user("bureau_a"))) == [city.center_a]
    assert set(centers_in_scope(city.user("bureau"))) >= {city.center_a, city.center_b}
    assert criminal_dashboard(city.user("reviewer_b"), MONTH).notice_totals.total == 0
    assert criminal_dashboard(city.user("bureau"), MONTH).notice_totals.total == 3
    assert len(criminal_dashboard(city.user("bureau"), MONTH).coverage) == 2  # courts A and B


def test_the_page_links_each_figure_to_its_records(client, city):
    _fixture(city)
    sign_in(client, city.user("reviewer_a"))
    page = client.get(URL, {"month": "2026-10"}).content.decode()
    assert "刑事法律援助" in page and "62.5%" in page
    assert f"{reverse('criminal:notices')}?late=1\">1<" in page
    assert f"{reverse('criminal:notices')}?route=duty\">1<" in page
    assert f"{reverse('custody:forwardings')}?breach=1\">1<" in page
    assert f"{reverse('duty:no_shows')}?month=2026-10\">1<" in page
    sign_in(client, city.user("bureau"))
    page = client.get(URL, {"month": "2026-10"}).content.decode()
    assert "权利告知" in page and reverse("duty:no_shows") not in page  # the duty pages are the centers'


def test_the_duty_rows_cost_the_same_queries_however_many_centers(city, django_assert_num_queries):
    """Read through the duty overview: one report per center asked four queries each (13 s at 3,000 centers)."""
    _fixture(city)
    bureau = city.user("bureau")
    with CaptureQueriesContext(connection) as before:
        criminal_dashboard(bureau, MONTH)
    make_district("321111", "润州区")
    make_district("321183", "句容市")
    criminal_dashboard(bureau, MONTH)  # a new center bumps the rule stamp: the calendar is read again once
    with django_assert_num_queries(len(before)):
        report = criminal_dashboard(bureau, MONTH)
    assert len(report.duty) == centers_in_scope(bureau).count() >= 4
    by_center = {d.center.pk: d for d in report.duty}
    assert (by_center[city.center_a.pk].covered, by_center[city.center_a.pk].no_shows) == (2, 1)
    expected_days = sum(c.working_days for c in duty_reports.coverage(city.center_b.pk, MONTH))
    assert by_center[city.center_b.pk].working_days == expected_days and by_center[city.center_b.pk].covered == 0


def test_a_bureau_with_more_centers_than_the_page_holds_sees_those_that_need_attention(client, city, monkeypatch):
    _fixture(city)
    monkeypatch.setattr(shortlist, "ON_PAGE", 1)
    sign_in(client, city.user("bureau"))
    page = client.get(URL, {"month": "2026-10"}).content.decode()
    rows = page.split('data-testid="duty-rows"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 1 and city.center_b.name in rows  # no duty kept in October: 0% covered
    assert "此处列出最需关注的 1 个" in page and "各工作站的明细见值班律师总览" in page
