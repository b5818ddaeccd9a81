"""Importing agencies' files: counts, snapshots (add, update, expire with history), bad rows, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from fayuan.conftest import valid_id
from fayuan.core.background import Cancelled
from fayuan.core.crypto import decrypt_text, lookup_hash
from fayuan.core.errors import ValidationFailed
from fayuan.core.models import AuditEntry
from fayuan.registry import importer
from fayuan.registry.models import BatchStatus, RegistryRecord, RegistryRecordVersion, RegistryRowError

from .support import DAY, civil_row, run_import, write_csv

pytestmark = pytest.mark.django_db


def counts(batch: Any) -> tuple[int, int, int, int, int]:
    return batch.added, batch.updated, batch.expired, batch.unchanged, batch.rows_invalid


def test_a_file_adds_records_keyed_by_the_id_hash_with_the_number_encrypted_and_masked(tmp_path: Path):
    batch = run_import(write_csv(tmp_path / "mz.csv", [civil_row(1), civil_row(2, category="特困"),
                                                        civil_row(3, category="低保边缘", end="2026-12-31")]))
    assert batch.status == BatchStatus.SUCCEEDED
    assert counts(batch) == (3, 0, 0, 0, 0)
    record = RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(2)))
    assert record.category == "extreme_poverty"
    assert decrypt_text(record.id_number_encrypted) == valid_id(2)
    assert record.id_number_masked == valid_id(2)[:4] + "*" * 10 + valid_id(2)[-4:]
    assert (record.household_key, record.place_code, record.valid_from) == ("JK00002", "321102001001",
                                                                            dt.date(2025, 1, 1))
    assert RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(3))).valid_to == dt.date(2026, 12, 31)
    # The agency's file (ID numbers in clear) is not kept once the batch has ended; its digest is.
    batch.refresh_from_db()
    assert not batch.file and len(batch.sha256) == 64


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path):
    path = write_csv(tmp_path / "mz.csv", [civil_row(i) for i in range(1, 6)])
    run_import(path)
    before = list(RegistryRecord.objects.order_by("pk").values())
    again = run_import(path, day=DAY + dt.timedelta(days=30))
    assert counts(again) == (0, 0, 0, 5, 0)
    assert list(RegistryRecord.objects.order_by("pk").values()) == before
    assert not RegistryRecordVersion.objects.exists()


def test_a_new_snapshot_updates_adds_and_expires_keeping_history(tmp_path: Path):
    run_import(write_csv(tmp_path / "v1.csv", [civil_row(1), civil_row(2), civil_row(3)]))
    later = DAY + dt.timedelta(days=31)
    batch = run_import(write_csv(tmp_path / "v2.csv", [civil_row(1, household="JK-NEW"), civil_row(3),
                                                        civil_row(4)]), day=later)
    assert counts(batch) == (1, 1, 1, 1, 0)
    changed = RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(1)))
    assert (changed.household_key, changed.version) == ("JK-NEW", 2)
    old = changed.versions.get()
    assert (old.kind, old.household_key, old.version, old.batch_id) == ("updated", "JK00001", 1, batch.pk)
    gone = RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(2)))
    assert (gone.present, gone.valid_to, gone.version) == (False, later - dt.timedelta(days=1), 2)
    assert gone.versions.get().kind == "expired"
    # The person comes back in the next file: restored, one more version.
    back = run_import(write_csv(tmp_path / "v3.csv", [civil_row(1, household="JK-NEW"), civil_row(2), civil_row(3),
                                                       civil_row(4)]), day=later + dt.timedelta(days=30))
    assert counts(back) == (0, 1, 0, 3, 0)
    gone.refresh_from_db()
    assert (gone.present, gone.valid_to, gone.version) == (True, None, 3)


def test_a_category_change_expires_the_old_record_and_adds_the_new_one(tmp_path: Path):
    run_import(write_csv(tmp_path / "v1.csv", [civil_row(1, category="低保")]))
    batch = run_import(write_csv(tmp_path / "v2.csv", [civil_row(1, category="低保边缘")]), day=DAY + dt.timedelta(1))
    assert counts(batch) == (1, 0, 1, 0, 0)
    assert set(RegistryRecord.objects.values_list("category", "present")) == {
        ("low_income_allowance", False), ("near_poverty", True)}


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_import(tmp_path: Path, monkeypatch: Any):
    monkeypatch.setattr(importer, "CHUNK", 3)  # several chunks: duplicates across chunks are found too
    bad_check = valid_id(7)[:17] + ("0" if valid_id(7)[17] != "0" else "1")
    rows = [civil_row(1), civil_row(2, id_number=bad_check), civil_row(3, start="2025-13-45"),
            civil_row(4, category="五保"), civil_row(5), civil_row(1), civil_row(6, end="2020-01-01"),
            civil_row(8)]
    batch = run_import(write_csv(tmp_path / "mz.csv", rows))
    assert (batch.rows_total, batch.added, batch.rows_invalid) == (8, 3, 5)
    errors = {(e.row, e.column): e.reason for e in RegistryRowError.objects.filter(batch=batch)}
    assert "校验码" in errors[(3, "身份证号码")]
    assert "无法识别" in errors[(4, "起始日期")]
    assert "五保" in errors[(5, "救助类别")]
    assert "重复" in errors[(7, "身份证号")]  # row 7 repeats row 2 (the header is row 1), in another chunk
    assert "早于" in errors[(8, "终止日期")]


def test_one_audit_entry_per_batch_with_the_digest_and_counts(tmp_path: Path):
    seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    batch = run_import(write_csv(tmp_path / "mz.csv", [civil_row(i) for i in range(1, 30)]))
    entries = list(AuditEntry.objects.filter(seq__gt=seq))
    assert len(entries) == 1
    assert entries[0].detail["sha256"] == batch.sha256 and entries[0].detail["added"] == 29


def test_gbk_and_utf8_without_bom_import_alike(tmp_path: Path):
    a = run_import(write_csv(tmp_path / "gbk.csv", [civil_row(1)], encoding="gbk"))
    b = run_import(write_csv(tmp_path / "plain.csv", [civil_row(1), civil_row(2)], encoding="utf-8"),
                   day=DAY + dt.timedelta(1))
    assert counts(a) == (1, 0, 0, 0, 0) and counts(b) == (1, 0, 0, 1, 0)
    assert RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(1))).name == "居民1"


def refused(batch: Any, words: str) -> None:
    assert batch.status == BatchStatus.REJECTED, batch.message
    assert words in batch.message, batch.message
    assert not RegistryRecord.objects.exists()
    assert not RegistryRowError.objects.exists()


def test_a_file_mixing_encodings_is_refused_and_changes_nothing(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    write_csv(path, [civil_row(1)], encoding="utf-8")
    with path.open("ab") as f:
        f.write(",".join(civil_row(2)).encode("gbk") + b"\r\n")
    refused(run_import(path), "混用")


def test_missing_columns_an_empty_file_and_a_header_alone_are_refused(tmp_path: Path):
    refused(run_import(write_csv(tmp_path / "a.csv", [["1"]], header=["身份证号码", "名字"])), "缺少以下列")
    (tmp_path / "b.csv").write_bytes(b"\r\n\r\n")
    refused(run_import(tmp_path / "b.csv"), "没有任何内容")
    refused(run_import(write_csv(tmp_path / "c.csv", [])), "没有数据行")


def test_a_wrong_type_or_an_empty_upload_is_refused_before_storing(tmp_path: Path):
    (tmp_path / "list.xls").write_bytes(b"x" * 10)
    with pytest.raises(ValidationFailed, match="xlsx 或 csv"):
        run_import(tmp_path / "list.xls")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValidationFailed, match="空的"):
        run_import(tmp_path / "empty.csv")
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip at all")
    refused(run_import(tmp_path / "fake.xlsx"), "不是有效的 Excel")


def xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


DISABLED = ["残疾证号", "姓名", "残疾类别", "残疾等级", "户籍地址", "发证日期", "有效期至"]


def test_an_xlsx_of_the_disabled_federation_reads_the_id_from_the_certificate(tmp_path: Path):
    rows = [[valid_id(1) + "14", "残疾人甲", "肢体", "四级", "京口区", dt.date(2024, 3, 1), None],
            [valid_id(2) + "22", "残疾人乙", "视力", "二级", "京口区", "2024-05-06", "2034-05-05"]]
    batch = run_import(xlsx(tmp_path / "cl.xlsx", DISABLED, rows), "disabled_federation")
    assert counts(batch) == (2, 0, 0, 0, 0)
    record = RegistryRecord.objects.get(id_hash=lookup_hash(valid_id(2)))
    assert (record.category, record.valid_from, record.valid_to) == ("disabled", dt.date(2024, 5, 6),
                                                                     dt.date(2034, 5, 5))


def test_formulas_and_an_oversized_spreadsheet_are_refused(tmp_path: Path, settings: Any):
    rows = [[valid_id(1) + "14", "残疾人甲", "肢体", "四级", "京口区", "=TODAY()", None]]
    refused(run_import(xlsx(tmp_path / "f.xlsx", DISABLED, rows), "disabled_federation"), "公式")
    settings.REGISTRY_SPREADSHEET_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed, match="过大"):
        run_import(xlsx(tmp_path / "big.xlsx", DISABLED, [[valid_id(1) + "14", "甲"]] * 200), "disabled_federation")


def test_cancel_keeps_the_chunks_applied_and_expires_nothing(tmp_path: Path, monkeypatch: Any):
    run_import(write_csv(tmp_path / "v1.csv", [civil_row(i) for i in range(1, 4)]))
    monkeypatch.setattr(importer, "CHUNK", 2)

    def cancel_after_first_chunk(done: int, total: int, stage: str) -> None:
        if done >= 2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        run_import(write_csv(tmp_path / "v2.csv", [civil_row(i) for i in range(10, 15)]),
                   on_progress=cancel_after_first_chunk)
    from fayuan.registry.models import RegistryBatch

    batch = RegistryBatch.objects.order_by("-pk").first()
    assert batch is not None and batch.status == BatchStatus.CANCELLED and batch.added == 2
    assert RegistryRecord.objects.filter(present=True).count() == 5  # the first file's three stay valid
