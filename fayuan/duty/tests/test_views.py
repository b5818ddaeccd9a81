"""The duty screens: the rota grid and its buttons, the lawyer's own page, scoping (404 outside one's scope), and
the report's figures against hand-counted fixtures, each linking to the rows behind it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.duty import services
from fayuan.duty.models import Duty, RotaMonth, RotaStatus
from fayuan.org.models import Organ, OrganKind

from .support import OCTOBER, D, pool_of_three

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def test_generate_and_publish_from_the_month_grid(client, city):
    pool_of_three(city)
    sign_in(client, city.user("reviewer_a"))
    url = reverse("duty:rota", args=[2025, 10])
    assert "生成排班" in client.get(url).content.decode()
    response = client.post(reverse("duty:rota_generate", args=[2025, 10]), follow=True)
    page = response.content.decode()
    assert "已生成排班草稿（值班次数极差 0）" in page and "重新生成草稿" in page
    assert page.count("赵律师") >= 6
    client.post(reverse("duty:rota_publish", args=[2025, 10]))
    assert RotaMonth.objects.get(center=city.center_a, month=OCTOBER).status == RotaStatus.PUBLISHED
    refused = client.post(reverse("duty:rota_generate", args=[2025, 10]), follow=True).content.decode()
    assert "只能通过换班调整" in refused
    # Another center's grid shows its own (empty) rota, never center A's duties.
    sign_in(client, city.user("reviewer_b"))
    assert "赵律师" not in client.get(url).content.decode()
    assert client.get(reverse("duty:rota", args=[2025, 13])).status_code == 404


def test_the_lawyer_checks_in_from_their_own_page_and_sees_only_their_duties(client, city):
    users = pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    sign_in(client, users[0])
    with at(D(2025, 10, 9)):
        assert "暂无已发布的值班" in client.get(reverse("duty:my")).content.decode()  # a draft is not shown
    services.rota_publish(actor=city.user("reviewer_a"), month=OCTOBER)
    mine = Duty.objects.filter(provider_id=users[0].provider_id).order_by("date").first()
    theirs = Duty.objects.exclude(provider_id=users[0].provider_id).first()
    with at(mine.date, 9):
        page = client.get(reverse("duty:my")).content.decode()
        assert "签到" in page and theirs.provider.name not in page
        client.post(reverse("duty:check_in", args=[mine.pk]))
        assert client.post(reverse("duty:check_in", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("duty:help_new", args=[theirs.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.checked_in_at is not None


def test_center_b_gets_404_on_center_a_records(client, city):
    users = pool_of_three(city)
    services.rota_generate(actor=city.user("reviewer_a"), month=OCTOBER)
    member = city.station_a.duty_pool.first()
    sign_in(client, city.user("reviewer_b"))
    assert client.get(reverse("duty:pool", args=[city.station_a.pk])).status_code == 404
    assert client.post(reverse("duty:pool_leave", args=[member.pk]), {"left_on": "2025-12-01",
                                                                       "reason": "调离"}).status_code == 404
    member.refresh_from_db()
    assert member.left_on is None
    assert users[0].provider.name not in client.get(reverse("duty:help_list")).content.decode()


# --- The report, hand-counted ---------------------------------------------------------------------------------

def test_report_figures_match_the_hand_count_and_link_to_their_rows(client, city, october):
    _users, empty, missed = october
    detention = Organ.objects.create(name="京口区看守所", kind=OrganKind.DETENTION_CENTER, district=city.district_a,
                                     center=city.center_a)
    Organ.objects.filter(pk=city.organ_a.pk).update(station=city.station_a)  # the court hosts station A
    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("duty:report"), {"month": "2025-10"})
    ctx = response.context
    coverage = {c.station_id: c for c in ctx["coverage"]}
    # 18 working days (1-8 October off, Saturday 11 October worked); 20 October nobody could serve station A.
    assert (coverage[city.station_a.pk].covered, coverage[city.station_a.pk].working_days) == (17, 18)
    assert coverage[city.station_a.pk].uncovered == [D(2025, 10, 20)]
    assert (coverage[empty.pk].covered, coverage[empty.pk].working_days) == (0, 18)
    # No-shows before 14 October: 10, 11 and 13 October (9 October was checked in; the 12th is a Sunday).
    expected: dict[int, int] = {}
    for duty in missed:
        expected[duty.provider_id] = expected.get(duty.provider_id, 0) + 1
    assert {r["provider_id"]: r["n"] for r in ctx["no_show_lawyers"]} == expected
    assert [(r["station_id"], r["n"]) for r in ctx["no_show_stations"]] == [(city.station_a.pk, 3)]
    assert {value: n for value, _label, n in ctx["help"]} == {
        "consultation": 2, "procedural_advice": 0, "bail": 0, "meeting": 0, "plea_witnessed": 1}
    assert [o.pk for o in ctx["organs"]] == [detention.pk]
    page = response.content.decode()
    assert "20日" in page or "10月20日" in page
    # Each figure links to its rows, and the linked list holds exactly that many.
    station_link = f"{reverse('duty:no_shows')}?station={city.station_a.pk}&amp;month=2025-10"
    assert station_link in page
    listed = client.get(reverse("duty:no_shows"), {"station": city.station_a.pk, "month": "2025-10"})
    assert len(listed.context["rows"]) == 3
    for provider_id, n in expected.items():
        rows = client.get(reverse("duty:no_shows"), {"provider": provider_id, "month": "2025-10"}).context["rows"]
        assert len(rows) == n
    assert f"{reverse('duty:help_list')}?kind=consultation&amp;month=2025-10" in page
    assert len(client.get(reverse("duty:help_list"), {"kind": "consultation", "month": "2025-10"})
               .context["rows"]) == 2
    covered_link = f"{reverse('duty:rota', args=[2025, 10])}?station={city.station_a.pk}"
    assert covered_link in page
    grid = client.get(reverse("duty:rota", args=[2025, 10]), {"station": city.station_a.pk}).context["grid"]
    assert len(grid) == 1 and sum(1 for _d, _w, duty, _g in grid[0][1] if duty) == 17
