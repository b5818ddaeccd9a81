"""Use at intake (issue 13 part 2, law art. 42): a registry record valid on the application date exempts the
applicant from the means test and the decision cites it; an expired record does not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.documents import document_bytes
from fayuan.cases.models import Document, DocumentKind
from fayuan.cases.services.review import assess
from fayuan.cases.tests.conftest import receive
from fayuan.cases.tests.test_documents_pdf import flat, pdf_text
from fayuan.conftest import valid_id

from .support import civil_row, run_import, write_csv

pytestmark = pytest.mark.django_db
RICH = {"household_size": 1, "household_monthly_income": Decimal("9000.00")}  # above any minimum wage


def list_applicant(tmp_path: Path, *, end: str, day: dt.date) -> None:
    """The civil affairs file lists 赵六 (the city's applicant person, ID valid_id(17)) as a 低保 recipient."""
    run_import(write_csv(tmp_path / "mz.csv", [civil_row(17, name="赵六", end=end)]), day=day)


def test_a_valid_registry_record_exempts_and_the_assessment_cites_it(city: Any, tmp_path: Path):
    today = timezone.localdate()
    list_applicant(tmp_path, end="", day=today)
    case = receive(city, applicant_id=city.applicant_person.public_id, **RICH)
    result = assess(case)
    assert result.eligible and result.means_test == "exempt"
    why = next(c for c in result.criteria if c.code == "exemption:low_income_allowance").explanation
    assert "市民政局" in why and "低保、特困、低保边缘人员名单" in why and "低保对象" in why
    assert "2025年01月01日至长期" in why and f"{today:%Y年%m月%d日}导入" in why


def test_an_expired_record_does_not_exempt(city: Any, tmp_path: Path):
    today = timezone.localdate()
    list_applicant(tmp_path, end=f"{today - dt.timedelta(days=1):%Y-%m-%d}", day=today)
    case = receive(city, applicant_id=city.applicant_person.public_id, **RICH)
    result = assess(case)
    assert result.means_test == "failed" and not result.eligible
    assert not any(c.code.startswith("exemption:") for c in result.criteria)


def test_a_record_dropped_by_a_later_file_no_longer_exempts(city: Any, tmp_path: Path):
    today = timezone.localdate()
    list_applicant(tmp_path, end="", day=today - dt.timedelta(days=40))
    run_import(write_csv(tmp_path / "later.csv", [civil_row(99)]), day=today - dt.timedelta(days=10))
    case = receive(city, applicant_id=city.applicant_person.public_id, **RICH)
    assert assess(case).means_test == "failed"


def test_the_grant_decision_cites_the_registry_record(city: Any, tmp_path: Path, settings: Any):
    settings.MEDIA_ROOT = tmp_path / "media"
    list_applicant(tmp_path, end="", day=timezone.localdate())
    case = receive(city, applicant_id=city.applicant_person.public_id, **RICH)
    services.case_decide(actor=city.user("reviewer_a"), public_id=case.public_id, kind="grant")
    document = Document.objects.get(case=case, kind=DocumentKind.GRANT_DECISION)
    text = flat(pdf_text(document_bytes(document), tmp_path))
    assert "据市民政局“低保、特困、低保边缘人员名单”" in text
    assert "部门共享数据已核实" in text and valid_id(17) not in text
