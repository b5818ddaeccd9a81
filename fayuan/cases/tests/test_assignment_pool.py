"""A criminal case goes only to a member of the criminal-defense pool on the assignment day (2018 work plan point 3),
admitted through the pool service on the shipped criteria rows; civil cases are not concerned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.assignment_rules import DEFENSE_POOL_BASIS
from fayuan.conftest import valid_id
from fayuan.core.errors import Conflict
from fayuan.org.defense_pool import defense_pool_admit, defense_pool_leave
from fayuan.org.models import Provider, ProviderKind
from fayuan.people.services import person_register

from .conftest import granted


@pytest.fixture
def outsider(city: Any) -> Provider:
    """A seasoned criminal lawyer of center A, not (yet) in the pool."""
    return Provider.objects.create(name="孙律师", kind=ProviderKind.LAWYER, license_number="13211200000000077",
                                   home_center=city.center_a, criminal_defense_since=dt.date(2012, 1, 1))


def _criminal(city: Any, seq: int = 41) -> Any:
    person = person_register(actor=city.user("reviewer_a"), name=f"被告人{seq}", id_number=valid_id(seq))
    return granted(city, applicant_id=person.public_id, case_type="criminal", matter="", criminal_ground="none",
                   criminal_stage="trial", matter_summary="盗窃", household_monthly_income="0")


def test_a_lawyer_outside_the_pool_is_refused_with_the_basis_and_taken_once_admitted(city, outsider):
    case = _criminal(city)
    ranked, refused = services.rank_for_case(case)
    assert outsider.pk not in {r.candidate.provider_id for r in ranked}
    assert "刑事辩护律师库" in refused[outsider.pk] and DEFENSE_POOL_BASIS in refused[outsider.pk]
    with pytest.raises(Conflict, match="刑事辩护律师库"):
        services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id, provider_id=outsider.pk,
                             reason="受援人家属指定")
    # Admitted on the shipped criteria (one year of criminal defense, twelve hours of training, no sanction).
    defense_pool_admit(actor=city.user("reviewer_a"), provider_id=outsider.pk, admitted_on=timezone.localdate(),
                       training_hours=16)
    assignment = services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id,
                                      provider_id=outsider.pk, reason="受援人家属指定")
    assert assignment.provider_id == outsider.pk


def test_membership_is_judged_on_the_assignment_day(city, outsider):
    reviewer = city.user("reviewer_a")
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        member = defense_pool_admit(actor=reviewer, provider_id=outsider.pk, admitted_on=dt.date(2026, 1, 5),
                                    training_hours=12)
    with time_machine.travel(dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC), tick=False):
        defense_pool_leave(actor=reviewer, member_id=member.pk, left_on=dt.date(2026, 2, 2), reason="本人申请退出")
    case = _criminal(city)
    assert "刑事辩护律师库" in services.rank_for_case(case)[1][outsider.pk]


def test_civil_cases_do_not_ask_for_the_pool(city, outsider):
    case = granted(city)
    assert outsider.pk not in services.rank_for_case(case)[1]
