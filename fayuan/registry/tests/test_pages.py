"""The pages and the services behind them: upload (background task), batch page and error report, the source
mapping, the audited query, the command, and the selectors other apps call."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from fayuan.conftest import valid_id
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry, TaskOutcome, TaskProgress
from fayuan.core.tests.access_support import sign_in
from fayuan.registry.models import BatchStatus, RegistryBatch, RegistrySource
from fayuan.registry.selectors import registered_households_on, registry_records_valid_on
from fayuan.registry.services import registry_query, registry_source_update

from .support import DAY, civil_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def test_upload_imports_in_the_background_and_the_batch_page_offers_the_error_report(
        client: Any, city: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any):
    path = write_csv(tmp_path / "mz.csv", [civil_row(1), civil_row(2, category="五保")])
    sign_in(client, city.user("director_a"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:batches"), {
            "source": "civil_affairs", "file": SimpleUploadedFile("名单.csv", path.read_bytes())})
    batch = RegistryBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:progress",
                                                                           args=[batch.progress_id])
    assert (batch.status, batch.added, batch.rows_invalid) == (BatchStatus.SUCCEEDED, 1, 1)
    assert TaskProgress.objects.get(pk=batch.progress_id).outcome == TaskOutcome.SUCCEEDED
    page = client.get(reverse("registry:batch", args=[batch.public_id])).content.decode()
    assert "五保" in page and "下载 CSV" in page
    report = client.get(reverse("registry:errors_csv", args=[batch.public_id])).content.decode("utf-8-sig")
    assert report.splitlines()[1].startswith("3,救助类别,")
    xlsx = client.get(reverse("registry:errors_xlsx", args=[batch.public_id]))
    assert xlsx.content[:2] == b"PK"


def test_a_refused_upload_says_why_and_stores_nothing(client: Any, city: Any):
    sign_in(client, city.user("bureau"))
    response = client.post(reverse("registry:batches"), {
        "source": "civil_affairs", "file": SimpleUploadedFile("名单.xls", b"\xd0\xcf\x11\xe0")})
    assert response.status_code == 200 and "另存为" in response.content.decode()
    assert not RegistryBatch.objects.exists()


def test_the_query_is_posted_masked_and_audited(client: Any, city: Any, tmp_path: Path):
    run_import(write_csv(tmp_path / "mz.csv", [civil_row(1, name="钱七")]))
    sign_in(client, city.user("clerk_a"))
    before = AuditEntry.objects.filter(object_type="registry.person").count()
    page = client.post(reverse("registry:query"), {"id_number": valid_id(1), "purpose": "审查经济困难状况"})
    text = page.content.decode()
    assert "钱七" in text and valid_id(1) not in text and valid_id(1)[:4] + "**********" in text
    assert AuditEntry.objects.filter(object_type="registry.person").count() == before + 1
    assert valid_id(1) not in str(AuditEntry.objects.filter(object_type="registry.person").last().detail)


def test_the_query_service_refuses_a_bad_number_and_other_roles(city: Any):
    with pytest.raises(ValidationFailed, match="校验码|18 位"):
        registry_query(actor=city.user("reviewer_a"), id_number="32110219800517011", purpose="审查")
    with pytest.raises(PermissionDenied):
        registry_query(actor=city.user("provider_a"), id_number=valid_id(1), purpose="审查")


def test_a_director_edits_a_mapping_and_a_bad_one_is_refused(city: Any, tmp_path: Path):
    source = RegistrySource.objects.get(code="civil_affairs")
    new_map = {**source.column_map, "id_number": "公民身份号码"}
    registry_source_update(actor=city.user("director_a"), code="civil_affairs", column_map=new_map,
                           category_map=source.category_map, default_category="", date_formats=["%Y-%m-%d"])
    header = ["公民身份号码", *write_header()[1:]]
    batch = run_import(write_csv(tmp_path / "mz.csv", [civil_row(1)], header=header))
    assert batch.added == 1
    with pytest.raises(ValidationFailed, match="人群代码无效"):
        registry_source_update(actor=city.user("director_a"), code="civil_affairs", column_map=new_map,
                               category_map={"低保": "rich"}, default_category="", date_formats=["%Y-%m-%d"])
    with pytest.raises(PermissionDenied):
        registry_source_update(actor=city.user("reviewer_a"), code="civil_affairs", column_map=new_map,
                               category_map=source.category_map, default_category="", date_formats=["%Y-%m-%d"])


def write_header() -> list[str]:
    from .support import CIVIL_HEADER

    return CIVIL_HEADER


def test_the_command_imports_and_reports_counts(tmp_path: Path):
    out = StringIO()
    call_command("import_registry", str(write_csv(tmp_path / "mz.csv", [civil_row(1), civil_row(2)])),
                 "--source", "civil_affairs", stdout=out)
    assert "新增 2" in out.getvalue()


def test_selectors_for_intake_and_outreach(tmp_path: Path):
    run_import(write_csv(tmp_path / "mz.csv", [
        civil_row(1, household="H1"), civil_row(2, household="H1", category="特困"),
        civil_row(3, household="H2", end="2026-01-31")]))
    from fayuan.core.crypto import lookup_hash

    assert registry_records_valid_on(DAY, id_hash=lookup_hash(valid_id(1))).count() == 1
    assert registry_records_valid_on(dt.date(2024, 12, 31)).count() == 0  # before valid_from
    households = list(registered_households_on(DAY, place_code_prefix="321102"))
    assert [(h.household_key, len(h.members)) for h in households] == [("H1", 2)]  # H2 ended before DAY
    assert ("居民2", "特困供养人员") in households[0].members
