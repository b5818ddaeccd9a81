"""Outreach pages: the needs report's figures recomputed from the records, the CSV, the contact-card PDF (masked
names, 12348, no full name), the household file's audited read and the city bureau's reach."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.core.models import AuditEntry

from .. import selectors, services
from ..cards import card_sheet_pdf
from ..models import VisitNeed
from .support import HEAD, outreach_world

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "cards.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S603,S607
                         check=True, capture_output=True, timeout=60).stdout.decode()
    return [re.sub(r"\s+", "", page) for page in out.split("\f") if page.strip()]


@pytest.fixture
def world(city):
    w = outreach_world(city)
    # A second household in district B with a visit, for the district rows.
    other = services.household_register(actor=w.user("clerk_b"), data=services.HouseholdInput(
        place_id=w.place_b.pk, head_name="陈大伟"))
    services.visit_record(actor=w.user("clerk_b"), data=services.VisitInput(
        household_id=other.pk, visited_on=timezone.localdate() - dt.timedelta(days=3), people_met="户主",
        needs=[services.NeedInput("land"), services.NeedInput("wages")]))
    # An old visit outside the default year.
    services.visit_record(actor=w.user("clerk_a"), data=services.VisitInput(
        household_id=w.household.pk, visited_on=timezone.localdate() - dt.timedelta(days=390), people_met="户主",
        needs=[services.NeedInput("injury")]))
    return w


def test_needs_report_figures_are_the_records_counted_again(world):
    today = timezone.localdate()
    since = today - dt.timedelta(days=364)
    report = selectors.needs_report(world.user("bureau"), since=since, until=today)
    expected = Counter((n.visit.household.place.district.name, n.topic.code) for n in VisitNeed.objects.filter(
        visit__visited_on__gte=since, visit__visited_on__lte=today).select_related(
        "visit__household__place__district", "topic"))
    got = Counter({(name, t.code): cells[i] for name, cells, *_ in report.rows
                   for i, t in enumerate(report.topics) if cells[i]})
    assert got == expected and report.total == sum(expected.values()) == 4
    rows = {name: (total, households, tasks) for name, _, total, households, tasks in report.rows}
    assert rows[world.district_a.name] == (2, 1, 1) and rows[world.district_b.name] == (2, 1, 0)
    # A district's staff see their district only.
    mine = selectors.needs_report(world.user("reviewer_a"), since=since, until=today)
    assert [r[0] for r in mine.rows] == [world.district_a.name] and mine.total == 2


def test_needs_csv_holds_the_same_table(client, world):
    sign_in(client, world.user("bureau"))
    response = client.get(reverse("outreach:needs_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, total = rows[1], rows[-1]
    assert header[0] == "行政区" and "赡养/抚养扶养" in header
    assert total[0] == "合计" and total[header.index("合计")] == "4"
    assert AuditEntry.objects.filter(action="export", object_type="outreach.needs_report").exists()


@needs_poppler
def test_card_pdf_has_masked_names_and_the_hotline_and_no_full_name(client, world, tmp_path):
    sign_in(client, world.user("clerk_a"))
    response = client.get(reverse("outreach:card_pdf", args=[world.batch.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pdf_pages(response.content, tmp_path))
    assert "张*明" in text and "12348" in text and world.center_a.name in text
    assert HEAD not in text and "王芳" not in text
    world.batch.refresh_from_db()
    assert world.batch.prints == 1


@needs_poppler
def test_card_sheet_has_eight_cards_a_page(world, tmp_path):
    for i in range(7):
        services.household_register(actor=world.user("clerk_a"), data=services.HouseholdInput(
            place_id=world.place_a.pk, head_name=f"李{i}强"))
    batch = services.card_batch_issue(actor=world.user("clerk_a"), place_id=world.place_a.pk, kind="person")
    assert batch.cards.count() == 10
    pages = pdf_pages(card_sheet_pdf(batch), tmp_path)
    assert len(pages) == 2 and [p.count("法律援助联系卡") for p in pages] == [8, 2]


def test_household_file_is_audited_and_shows_full_names_only_to_writers(client, world):
    url = reverse("outreach:household", args=[world.household.pk])
    sign_in(client, world.user("clerk_a"))
    page = client.get(url).content.decode()
    assert HEAD in page and "低保对象" in page and "low_income_allowance" not in page  # the group's name, not its code
    assert AuditEntry.objects.filter(action="read", object_type="outreach.household").count() == 1
    client.logout()
    sign_in(client, world.user("bureau"))
    page = client.get(url).content.decode()
    assert HEAD not in page and "张*明" in page


def test_households_list_shows_masked_names_and_filters_by_place(client, world):
    sign_in(client, world.user("bureau"))
    page = client.get(reverse("outreach:households"), {"place": world.place_b.pk}).content.decode()
    assert "陈*伟" in page and "陈大伟" not in page and "张*明" not in page


def test_recording_a_visit_through_the_page(client, world):
    sign_in(client, world.user("clerk_a"))
    url = reverse("outreach:visit_new", args=[world.household.pk])
    response = client.post(url, {"visited_on": timezone.localdate().isoformat(), "people_met": "户主",
                                 "need_housing": "on", "desc_housing": "宅基地边界纠纷"})
    assert response.status_code == 302
    assert world.household.visits.filter(needs__topic__code="housing").exists()
    response = client.post(url, {"visited_on": "", "people_met": ""})
    assert response.status_code == 200 and "未保存" in response.content.decode()
