"""The records behind a figure (stats/records.py) are read in the order of the events the figure counts: the first
event into an aided status, or the latest acceptance of a closing file or refusal. These tests give cases a second
such event, earlier or at the same instant, and check which period lists them, once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.cases.models import Case, CaseEvent
from fayuan.cases.models import Status as CaseStatus
from fayuan.stats import measures
from fayuan.stats.records import Criteria, records_behind

pytestmark = pytest.mark.django_db


def _year(year: int, measure: str) -> Criteria:
    return Criteria(measure, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def _listed(user: Any, criteria: Criteria) -> list[str]:
    return list(records_behind(user, criteria).values_list("number", flat=True))


def _rows(user: Any, criteria: Criteria) -> list[tuple[str, dt.datetime, int]]:
    """(number, counted time, id) of each listed case, in the list's order."""
    return [(c.number, c.counted_at, c.pk) for c in records_behind(user, criteria)]  # type: ignore[attr-defined]


def _first_event(case: Case, **which: Any) -> CaseEvent:
    return CaseEvent.objects.filter(case=case, **which).order_by("at", "id").first()  # type: ignore[return-value]


def test_a_case_counts_in_the_period_of_its_first_aid_and_its_latest_refusal(year_of_work: Any) -> None:
    city = year_of_work
    bureau = city.user("bureau")
    this_year = timezone.localdate().year
    last_january = dt.datetime(this_year - 1, 1, 15, 10, 0, tzinfo=timezone.get_current_timezone())
    aided = _listed(bureau, _year(this_year, measures.AIDED))
    refused = _listed(bureau, _year(this_year, measures.REFUSED))
    assert aided and refused

    # A case aided this year that had already been aided last year is last year's, at that first event.
    again = Case.objects.get(number=aided[0])
    CaseEvent.objects.create(case=again, kind="grant", to_status=CaseStatus.GRANTED, at=last_january)
    assert again.number not in _listed(bureau, _year(this_year, measures.AIDED))
    assert _rows(bureau, _year(this_year - 1, measures.AIDED)) == [(again.number, last_january, again.pk)]

    # A case refused last year and again this year is this year's (the latest refusal), not last year's.
    refused_twice = Case.objects.get(number=refused[0])
    CaseEvent.objects.create(case=refused_twice, kind="refuse", at=last_january)
    assert refused_twice.number in _listed(bureau, _year(this_year, measures.REFUSED))
    assert _listed(bureau, _year(this_year - 1, measures.REFUSED)) == []

    # Two aided events at the same instant: the case is listed once, at that instant.
    tied = Case.objects.get(number=aided[-1])
    first = _first_event(tied, to_status__in=measures.AIDED_STATUSES)
    CaseEvent.objects.create(case=tied, kind="grant", to_status=first.to_status, at=first.at)
    rows = _rows(bureau, _year(this_year, measures.AIDED))
    assert rows.count((tied.number, first.at, tied.pk)) == 1 and len(rows) == len(aided) - 1


def test_the_list_runs_from_the_latest_counted_event(year_of_work: Any) -> None:
    bureau = year_of_work.user("bureau")
    this_year = timezone.localdate().year
    for measure in (measures.AIDED, measures.CLOSED, measures.REFUSED, measures.APPLICATIONS):
        rows = _rows(bureau, _year(this_year, measure))
        assert rows, measure
        keys = [(at, pk) for _, at, pk in rows]
        assert keys == sorted(keys, reverse=True), measure
        assert len({pk for _, _, pk in rows}) == len(rows), measure  # each case once


@pytest.mark.parametrize("city_center", [False, True], ids=["district centers", "a city center"])
def test_a_districts_records_are_the_cases_the_district_rule_gives_it(year_of_work: Any, city_center: bool) -> None:
    """The list narrowed to a district names only the centers that can count there (records.py); it must still list
    exactly the cases attribution.py gives the district, including a city center's, counted by its seat."""
    from fayuan.org.models import Center
    from fayuan.stats.attribution import case_district_id

    city = year_of_work
    if city_center:  # center A becomes the city's own center, seated in district B
        Center.objects.filter(pk=city.center_a.pk).update(level="city", district=None, seat_district=city.district_b)
    bureau = city.user("bureau")
    year = timezone.localdate().year
    every = list(records_behind(bureau, _year(year, measures.AIDED)).select_related("center", "receiving_station"))
    assert len(every) == 4
    for district in (city.district_a, city.district_b):
        criteria = Criteria(measures.AIDED, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), district_id=district.pk)
        expected = sorted(c.number for c in every if case_district_id(c) == district.pk)
        assert sorted(_listed(bureau, criteria)) == expected
