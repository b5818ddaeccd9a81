"""A qualification's validity, once per row (``StaffQualification.valid_on``) and as a query (``valid_on`` of the
queryset, which the dashboards read for thousands of staff): the same days, both ends of the period included."""

from __future__ import annotations

import datetime as dt

import pytest

from fayuan.org.models import Center, CenterLevel, QualificationKind, Staff, StaffQualification

pytestmark = pytest.mark.django_db

FROM, TO = dt.date(2024, 3, 1), dt.date(2026, 3, 1)


def test_the_query_holds_the_same_days_as_the_row() -> None:
    center = Center.objects.create(name="测试法律援助中心", doc_prefix="测法援", level=CenterLevel.CITY,
                                   address="某路1号")  # a city center: it has no district of its own
    staff = Staff.objects.create(name="职员", center=center)
    dated = StaffQualification.objects.create(staff=staff, kind=QualificationKind.LEGAL_PROFESSION,
                                              valid_from=FROM, valid_to=TO)
    lasting = StaffQualification.objects.create(staff=staff, kind=QualificationKind.LEGAL_AID_PERMIT,
                                                valid_from=FROM)
    one_day = dt.timedelta(days=1)
    for day in (FROM - one_day, FROM, TO - one_day, TO, TO + one_day):
        found = set(StaffQualification.objects.valid_on(day).values_list("pk", flat=True))
        assert found == {q.pk for q in (dated, lasting) if q.valid_on(day)}, day
    assert set(StaffQualification.objects.valid_on(TO).values_list("pk", flat=True)) == {lasting.pk}  # TO excluded
