"""Helpers for the quality tests: cases reached through the cases' and criminal services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fayuan.cases import services as cases
from fayuan.cases.services.assignment import case_assign
from fayuan.core.tests.access_support import Cases
from fayuan.criminal.tests.support import send_notice
from fayuan.org.models import Provider


def closed_case(city: Any) -> Any:
    """A civil wages case of center A handled by provider_a and closed (an ordinary case)."""
    return Cases(city).get("closed", fresh=True)


def signed_case(city: Any) -> Any:
    return Cases(city).get("signed", fresh=True)


def major_case_signed(city: Any) -> Any:
    """An organ's notice for a defendant facing a possible life sentence (graded major at assignment), assigned to
    provider_a, accepted and the agreement signed."""
    # Art. 26: a possible life sentence needs a lawyer with three years of criminal defense.
    ten_years_ago = timezone.localdate().replace(year=timezone.localdate().year - 10)
    Provider.objects.filter(pk=city.user("provider_a").provider_id).update(
        practice_since=ten_years_ago, criminal_defense_since=ten_years_ago)
    notice = send_notice(city)
    case = notice.case
    case_assign(actor=city.user("reviewer_a"), case=case, provider_id=city.user("provider_a").provider_id,
                reason="测试指定承办人员")
    lawyer = city.user("provider_a")
    cases.assignment_accept(actor=lawyer, public_id=case.public_id)
    cases.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    case.refresh_from_db()
    return case


def submit_closing(city: Any, case: Any) -> None:
    cases.closing_submit(actor=city.user("provider_a"), public_id=case.public_id, outcome="criminal_adopted",
                         report="辩护意见被法院采纳，判处有期徒刑。")
