"""Applying one file to the registry: set-based, a chunk of rows per transaction.

Pass 1 (``formats.scan``) refuses a bad file before anything is written. Pass 2 streams the rows again, parses
them (``rows.parse_row``) and applies each chunk with a handful of statements: one SELECT of the chunk's existing
records, bulk INSERT of new ones, bulk UPDATE of changed ones (their replaced state kept as a version), bulk INSERT
of the chunk's staged keys and error rows. A record is unchanged when its stored content hash equals the row's:
an identical re-import writes no record. At the end, the source's records that the file did not list expire
(``valid_to`` = the day before the import, version kept).

Cancel stops between chunks: the chunks already applied stay (each change with its history under this batch),
nothing expires, and the batch says it was cancelled; importing the file again completes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import reset_queries, transaction
from django.db.models import Exists, OuterRef

from fayuan.core.crypto import encrypt_text, lookup_hash
from fayuan.people import idnumber

from . import formats
from .models import ChangeKind, RegistryBatch, RegistryRecord, RegistryRecordVersion, RegistryRowError, StagedKey
from .rows import Layout, Row, RowError, layout_for, parse_row

CHUNK = 5000
ERRORS_KEPT = 100_000  # a file that bad is counted in full but reported in part
VERSIONED = ("name", "household_key", "place_code", "address", "valid_from", "valid_to")
Progress = Callable[[int, int, str], None]


@dataclass
class Counts:
    rows: int = 0
    invalid: int = 0
    added: int = 0
    updated: int = 0
    expired: int = 0
    unchanged: int = 0
    errors_kept: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _chunks(items: Iterator[tuple[int, list[formats.Cell]]], size: int) -> Iterator[list[tuple[int, list[formats.Cell]]]]:
    chunk: list[tuple[int, list[formats.Cell]]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _version_of(record: RegistryRecord, batch: RegistryBatch, kind: str) -> RegistryRecordVersion:
    return RegistryRecordVersion(record=record, batch=batch, kind=kind, version=record.version,
                                 **{f: getattr(record, f) for f in VERSIONED})


def _save_errors(batch: RegistryBatch, errors: list[RowError], counts: Counts) -> None:
    room = max(0, ERRORS_KEPT - counts.errors_kept)
    kept = [RegistryRowError(batch=batch, row=e.row, column=e.column[:60], reason=e.reason[:200])
            for e in errors[:room]]
    RegistryRowError.objects.bulk_create(kept)
    counts.errors_kept += len(kept)


def _apply_chunk(batch: RegistryBatch, rows: list[Row], errors: list[RowError], counts: Counts) -> None:
    source_id = batch.source_id
    keyed: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (lookup_hash(row.id_number), row.category)
        if key in keyed:
            errors.append(RowError(row.row, "身份证号", f"与第 {keyed[key].row} 行为同一人、同一类别，重复（已按第一行导入）。"))
            continue
        keyed[key] = row
    existing = {(r.id_hash, r.category): r for r in RegistryRecord.objects.filter(
        source_id=source_id, id_hash__in={h for h, _ in keyed})}
    staged = dict(StagedKey.objects.filter(batch=batch, record_id__in=[r.pk for r in existing.values()])
                  .values_list("record_id", "row"))
    new: list[RegistryRecord] = []
    changed: list[RegistryRecord] = []
    versions: list[RegistryRecordVersion] = []
    touched: list[tuple[RegistryRecord, int]] = []
    for key, row in keyed.items():
        record = existing.get(key)
        content = row.content_hash
        if record is None:
            record = RegistryRecord(
                source_id=source_id, id_hash=key[0], id_number_encrypted=encrypt_text(row.id_number),
                id_number_masked=idnumber.mask(row.id_number), category=row.category, name=row.name,
                household_key=row.household_key, place_code=row.place_code, address=row.address,
                valid_from=row.valid_from, valid_to=row.valid_to, content_hash=content, created_batch=batch,
                changed_batch=batch)
            new.append(record)
        elif record.pk in staged:
            errors.append(RowError(row.row, "身份证号", f"与第 {staged[record.pk]} 行为同一人、同一类别，重复（已按第一行导入）。"))
            continue
        elif record.present and record.content_hash == content:
            counts.unchanged += 1
        else:
            versions.append(_version_of(record, batch, ChangeKind.UPDATED))
            for name in VERSIONED:
                setattr(record, name, getattr(row, name))
            record.present, record.content_hash, record.changed_batch = True, content, batch
            record.version += 1
            changed.append(record)
        touched.append((record, row.row))
    with transaction.atomic():
        RegistryRecord.objects.bulk_create(new)
        RegistryRecord.objects.bulk_update(changed, [*VERSIONED, "present", "content_hash", "changed_batch",
                                                     "version"])
        RegistryRecordVersion.objects.bulk_create(versions)
        StagedKey.objects.bulk_create([StagedKey(batch=batch, record_id=r.pk, row=n) for r, n in touched])
        _save_errors(batch, errors, counts)
    counts.added += len(new)
    counts.updated += len(changed)
    counts.invalid += len({e.row for e in errors})


def _expire_missing(batch: RegistryBatch, day: dt.date, counts: Counts) -> None:
    """Records of the source that this snapshot no longer lists end the day before it was imported."""
    end = day - dt.timedelta(days=1)
    listed = StagedKey.objects.filter(batch=batch, record_id=OuterRef("pk"))
    missing = (RegistryRecord.objects.filter(source_id=batch.source_id, present=True)
               .exclude(Exists(listed)).order_by("pk"))
    while True:
        records = list(missing[:CHUNK])
        if not records:
            break
        with transaction.atomic():
            RegistryRecordVersion.objects.bulk_create([_version_of(r, batch, ChangeKind.EXPIRED) for r in records])
            for record in records:
                record.present, record.changed_batch = False, batch
                record.valid_to = min(record.valid_to, end) if record.valid_to else end
                record.version += 1
            RegistryRecord.objects.bulk_update(records, ["present", "changed_batch", "valid_to", "version"])
        counts.expired += len(records)
        reset_queries()


def drop_staged(batch: RegistryBatch) -> None:
    StagedKey.objects.filter(batch=batch).delete()


def import_file(batch: RegistryBatch, path: Path, *, day: dt.date, on_progress: Progress) -> Counts:
    """Scan, then apply ``path`` to the batch's source. Raises ``FileRejected`` (nothing written) or whatever
    ``on_progress`` raises to cancel (the chunks applied stay)."""
    source = batch.source
    kind = formats.file_kind(batch.original_name or path.name)
    on_progress(0, 0, "校验文件")
    scanned = formats.scan(path, kind)
    layout: Layout = layout_for(scanned.header, column_map=source.column_map, category_map=source.category_map,
                                default_category=source.default_category, date_formats=source.date_formats,
                                id_in_certificate=source.id_in_certificate)
    counts = Counts()
    rows = formats.numbered_rows(path, kind, scanned.encoding or "utf-8-sig")
    next(rows)  # the header
    on_progress(0, scanned.rows, "写入信息库")
    for chunk in _chunks(rows, CHUNK):
        good: list[Row] = []
        errors: list[RowError] = []
        for number, values in chunk:
            parsed = parse_row(number, values, layout, today=day)
            if isinstance(parsed, Row):
                good.append(parsed)
            else:
                errors.extend(parsed)
        _apply_chunk(batch, good, errors, counts)
        counts.rows += len(chunk)
        reset_queries()  # DEBUG keeps every statement otherwise: memory would grow with the file
        on_progress(counts.rows, scanned.rows, "写入信息库")
    on_progress(counts.rows, scanned.rows, "失效处理")
    _expire_missing(batch, day, counts)
    drop_staged(batch)
    return counts
