"""Building agencies' files for the tests, and importing them through the services."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files import File

from fayuan.conftest import valid_id
from fayuan.registry.models import RegistryBatch
from fayuan.registry.services import registry_batch_create, registry_import_run

CIVIL_HEADER = ["身份证号码", "姓名", "救助类别", "户主身份证号", "家庭编号", "行政区划代码", "家庭住址", "起始日期",
                "终止日期"]
DAY = dt.date(2026, 6, 1)


def civil_row(seq: int, *, name: str = "", category: str = "低保", household: str = "", start: str = "2025-01-01",
              end: str = "", id_number: str = "") -> list[str]:
    number = id_number or valid_id(seq)
    return [number, name or f"居民{seq}", category, number, household or f"JK{seq:05d}", "321102001001",
            "京口区某街道", start, end]


def write_csv(path: Path, rows: list[list[str]], *, header: list[str] | None = None,
              encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header or CIVIL_HEADER)
        writer.writerows(rows)
    return path


def run_import(path: Path, source: str = "civil_affairs", *, actor: Any = None, day: dt.date = DAY,
               on_progress: Any = None) -> RegistryBatch:
    with path.open("rb") as handle:
        batch = registry_batch_create(actor=actor, source_code=source, upload=File(handle), name=path.name)
    return registry_import_run(batch_id=batch.public_id, day=day, on_progress=on_progress)
