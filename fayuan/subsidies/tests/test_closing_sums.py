"""A country's bureau reads the funding page's closings from sums the stats job stores (``ClosingSums``). Here the
limit is lowered so that the test city counts as such a scope: the stored figures equal the counted ones, a new
closing shows once the job sums again (the workbook at once), stale sums are not shown, a district bureau reads its
own centers' rows, and at the shipped limit a city stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.org import scale
from fayuan.stats.tasks import sum_big_scopes
from fayuan.subsidies import selectors
from fayuan.subsidies.models import ClosingSums

from .support import closed_case

pytestmark = pytest.mark.django_db


def _total(user: Any) -> selectors.FundingRow:
    return selectors.funding(user, timezone.localdate().year, [])[1]


@pytest.fixture
def country(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test city's handful of centers counted as a country's thousands."""
    monkeypatch.setattr(scale, "LIVE_CENTERS", 0)


def test_a_city_counts_its_closings_on_each_view_and_stores_nothing(city: Any) -> None:
    closed_case(city)
    total = _total(city.user("bureau"))
    assert (total.cases, total.persons, total.summed_at) == (1, 1, None)
    sum_big_scopes.call()
    assert not ClosingSums.objects.exists()


def test_stored_closings_give_the_counted_figures_until_the_job_sums_again(city: Any, country: None) -> None:
    bureau, district_bureau = city.user("bureau"), city.user("bureau_a")
    closed_case(city)
    assert _total(bureau).summed_at is None  # nothing stored yet: counted now
    sum_big_scopes.call()
    year = timezone.localdate().year
    assert list(ClosingSums.objects.values_list("center_id", "year", "cases", "persons")) == [
        (city.center_a.pk, year, 1, 1)]
    stored = _total(bureau)
    assert (stored.cases, stored.persons) == (1, 1) and stored.summed_at is not None
    own = _total(district_bureau)  # center A is district A's
    assert (own.cases, own.summed_at) == (1, stored.summed_at)

    closed_case(city)  # the same applicant again: two cases, one person
    assert _total(bureau).cases == 1  # the sums of a moment ago
    client = Client()
    sign_in(client, bureau)
    page = client.get(reverse("subsidies:budgets")).content.decode()
    assert 'data-testid="summed-at"' in page and "下载的报表按下载时的记录现算" in page
    workbook = selectors.budget_rows(bureau, year)[-1]  # the download counts now
    assert (workbook.cases, workbook.persons, workbook.summed_at) == (2, 1, None)

    sum_big_scopes.call()
    again = _total(bureau)
    assert (again.cases, again.persons) == (2, 1) and again.summed_at > stored.summed_at
    assert ClosingSums.objects.count() == 1


def test_stale_sums_are_not_shown(city: Any, country: None) -> None:
    closed_case(city)
    sum_big_scopes.call()
    closed_case(city)
    later = timezone.now() + selectors.STALE_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # the job stopped: the page counts now
        total = selectors.funding(city.user("bureau"), timezone.localdate(later).year, [])[1]
    assert (total.cases, total.summed_at) == (2, None)


def test_a_district_bureau_reads_only_its_centers_rows(city: Any, country: None) -> None:
    from fayuan.conftest import make_user

    closed_case(city)  # center A, district A
    sum_big_scopes.call()
    bureau_b = make_user("bureau_b", "bureau_supervisor", district=city.center_b.district)
    other = _total(bureau_b)
    assert (other.cases, other.persons) == (0, 0) and other.summed_at is not None
