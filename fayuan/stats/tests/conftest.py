"""Fixtures of the stats tests: the cases' personas, and a year of work across two centers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fayuan.cases import services as cases
from fayuan.cases.tests.conftest import poppler, providers  # noqa: F401  (fixtures re-exported for these tests)
from fayuan.core.tests.access_support import Cases
from fayuan.criminal.tests.support import send_notice
from fayuan.org.models import DistrictPopulation, QualificationKind, Staff, StaffQualification


@pytest.fixture
def year_of_work(city: Any) -> Any:
    """Center A: a closed civil case (with money recovered), a refusal, an aid-first case, a notice; center B: one
    granted case for an elderly woman. Populations for both districts; staff with and without qualifications."""
    made = Cases(city)
    signed = made.get("signed", fresh=True)
    cases.closing_submit(actor=made.lawyer(signed), public_id=signed.public_id, outcome="won",
                         report="判决支持全部诉讼请求，已执行完毕。", money_recovered="12345.67")
    cases.closing_review(actor=city.user("reviewer_a"), public_id=signed.public_id, accept=True)
    made.get("refused", fresh=True)
    made.get("aid_first", fresh=True)
    send_notice(city)
    data = cases.ApplicationInput(
        applicant_id=city.person_b.public_id, case_type="civil", matter="wages", matter_summary="追索劳动报酬",
        opposing_party="某公司", household_size=2, household_monthly_income=Decimal("1000"),
        handling_organ="丹阳市人民法院")
    case_b = cases.case_receive(actor=city.user("reviewer_b"), data=data)
    cases.case_decide(actor=city.user("reviewer_b"), public_id=case_b.public_id, kind="grant")
    year = timezone.localdate().year
    DistrictPopulation.objects.update_or_create(district=city.district_a, year=year, defaults={"population": 6000})
    DistrictPopulation.objects.update_or_create(district=city.district_b, year=year, defaults={"population": 9000})
    for i, kinds in enumerate([(QualificationKind.LEGAL_PROFESSION,), (QualificationKind.LEGAL_AID_PERMIT,), ()]):
        staff = Staff.objects.create(name=f"职员{i}", center=city.center_a)
        for kind in kinds:
            StaffQualification.objects.create(staff=staff, kind=kind, valid_from=dt.date(2020, 1, 1))
    return city
