"""Cases for the privacy tests, reached through the services (never by writing ``status``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fayuan.cases import services
from fayuan.cases.models import Case
from fayuan.cases.tests.conftest import receive

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def upload(case: Case, actor: Any, name: str = "id.png") -> Any:
    return services.case_file_add(actor=actor, case=case, kind="id_document",
                                  upload=SimpleUploadedFile(name, PNG, content_type="image/png"))


def archived(city: Any, **overrides: Any) -> Case:
    """A case of center A carried to the archive: received (with a file), granted, assigned to provider_a,
    handled, closed, archived."""
    reviewer, lawyer = city.user("reviewer_a"), city.user("provider_a")
    case = receive(city, facts="家暴事实：某某于 2025 年起多次殴打申请人。", **overrides)
    upload(case, reviewer)
    services.case_decide(actor=reviewer, public_id=case.public_id, kind="grant")
    services.case_assign(actor=reviewer, public_id=case.public_id, provider_id=lawyer.provider_id,
                         reason="测试指定承办人员")
    services.assignment_accept(actor=lawyer, public_id=case.public_id)
    services.agreement_record(actor=lawyer, public_id=case.public_id, signed_on=timezone.localdate())
    services.closing_submit(actor=lawyer, public_id=case.public_id, outcome="won",
                            report="判决支持全部诉讼请求，张三已领取执行款。")
    services.closing_review(actor=reviewer, public_id=case.public_id, accept=True)
    services.case_archive(actor=reviewer, public_id=case.public_id)
    case.refresh_from_db()
    return case
