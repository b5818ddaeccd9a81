"""Case personas on top of the shared city: providers for center A, and helpers that reach states through the
services (never by writing ``status``)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.models import Case
from fayuan.org.models import Firm, FirmKind, Provider, ProviderKind, Specialty
from fayuan.org.testing import put_in_defense_pool


@pytest.fixture
def providers(city: Any) -> list[Provider]:
    firm = Firm.objects.create(name="江苏测试律师事务所", kind=FirmKind.LAW_FIRM, district=city.district_a)
    labour = Specialty.objects.create(code="labour", name="劳动争议")
    criminal = Specialty.objects.create(code="criminal", name="刑事辩护")
    made = []
    for i, (years, minors, spec) in enumerate([(5, True, criminal), (1, False, labour), (10, False, criminal)]):
        p = Provider.objects.create(
            name=f"律师{i}", kind=ProviderKind.LAWYER, license_number=f"1321120000000010{i}", firm=firm,
            home_center=city.center_a, capacity=3, familiar_with_minors=minors,
            practice_since=dt.date(2026 - years - 1, 1, 1), criminal_defense_since=dt.date(2026 - years, 1, 1),
        )
        p.specialties.add(spec)
        made.append(p)
    put_in_defense_pool(*made)
    # The persona provider of the shared city takes part in rotations too.
    made.append(city.user("provider_a").provider)
    return made


def application(city: Any, **overrides: Any) -> services.ApplicationInput:
    data = {
        "applicant_id": city.person_a.public_id, "case_type": "civil", "matter": "wages",
        "matter_summary": "追索劳动报酬", "opposing_party": "某建筑公司", "household_size": 3,
        "household_monthly_income": Decimal("3000.00"), "handling_organ": "京口区人民法院",
    }
    data.update(overrides)
    return services.ApplicationInput(**data)


def receive(city: Any, actor: str = "reviewer_a", **overrides: Any) -> Case:
    return services.case_receive(actor=city.user(actor), data=application(city, **overrides))


def granted(city: Any, **overrides: Any) -> Case:
    case = receive(city, **overrides)
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    case.refresh_from_db()
    return case


def in_progress(city: Any, **overrides: Any) -> Case:
    case = granted(city, **overrides)
    services.case_assign(actor=city.user("reviewer_a"), public_id=case.public_id)
    case.refresh_from_db()
    from fayuan.accounts.models import User

    lawyer = User.objects.filter(provider=case.provider).first()
    assert lawyer is not None, "the assigned provider needs an account in these tests"
    services.assignment_accept(actor=lawyer, public_id=case.public_id)
    services.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    services.progress_record(actor=lawyer, public_id=case.public_id, kind="meeting",
                             occurred_on=timezone.localdate(), summary="会见受援人，了解案情。")
    case.refresh_from_db()
    return case


@pytest.fixture
def poppler() -> None:
    """The checks read the PDFs with poppler, one of the project's system packages (``make sysdeps``): without it
    the setup is broken, and the checks fail with the fix instead of silently not running."""
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: apt-get install poppler-utils (make sysdeps)", pytrace=False)
