"""Applying one file to the registry: set-based, a chunk of rows per transaction.

Pass 1 (``formats.scan``) refuses a bad file before anything is written. Pass 2 streams the rows again, parses
them (``rows.parse_row``) and applies each chunk with a handful of statements: one SELECT of the chunk's existing
records (key and content hash only), bulk INSERT of new ones, bulk UPDATE of changed ones (their replaced state kept
as a version), bulk INSERT of error rows. A record is unchanged when its stored content hash equals the row's: an
identical re-import writes no record. Which records the file listed is a bitmap of record ids (``Seen``: one bit
per id, 125 kB per million records, so memory stays flat; records this batch added are known by their batch); at
the end the source's other records not in it expire
(``valid_to`` = the day before the import, version kept), and a second row for a record already seen is reported
as a duplicate.

Cancel stops between chunks: the chunks already applied stay (each change with its history under this batch),
nothing expires, and the batch says it was cancelled; importing the file again completes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, reset_queries, transaction

from fayuan.core.crypto import encrypt_text, lookup_hash
from fayuan.people import idnumber

from . import formats
from .models import ChangeKind, RegistryBatch, RegistryRecord, RegistryRecordVersion, RegistryRowError
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


class Seen:
    """A growable bitmap of record ids."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, pk: int) -> None:
        index = pk >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(index + 1 - len(self.bits) + 65536))
        self.bits[index] |= 1 << (pk & 7)

    def __contains__(self, pk: int) -> bool:
        index = pk >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (pk & 7)))


INSERTED = ("source_id", "id_hash", "id_number_encrypted", "id_number_masked", "category", "name", "household_key",
            "place_code", "address", "valid_from", "valid_to", "present", "content_hash", "version",
            "created_batch_id", "changed_batch_id")


def _insert(values: list[tuple[object, ...]]) -> None:
    """New records straight into the table: COPY on PostgreSQL, one executemany on SQLite. The ORM's bulk_create
    spent most of a first import building and quoting its statement."""
    if not values:
        return
    table = connection.ops.quote_name(RegistryRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(RegistryRecord._meta.get_field(c.removesuffix("_id")).column)
                        for c in INSERTED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(INSERTED))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


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


def _apply_chunk(batch: RegistryBatch, rows: list[Row], errors: list[RowError], counts: Counts,
                 seen: Seen) -> None:
    source_id = batch.source_id
    keyed: dict[tuple[str, str], Row] = {}
    for row in rows:
        key = (lookup_hash(row.id_number), row.category)
        if key in keyed:
            errors.append(RowError(row.row, "身份证号", f"与第 {keyed[key].row} 行为同一人、同一类别，重复（已按第一行导入）。"))
            continue
        keyed[key] = row
    # Key, id and content hash only: model instances are made just for the rows that change.
    existing = {(h, c): (pk, content, present, created) for pk, h, c, content, present, created in
                RegistryRecord.objects.filter(source_id=source_id, id_hash__in={h for h, _ in keyed}).values_list(
                    "pk", "id_hash", "category", "content_hash", "present", "created_batch_id")}
    new: list[tuple[object, ...]] = []
    to_change: dict[int, Row] = {}
    for key, row in keyed.items():
        found = existing.get(key)
        content = row.content_hash
        if found is None:
            new.append((source_id, key[0], encrypt_text(row.id_number), idnumber.mask(row.id_number), row.category,
                        row.name, row.household_key, row.place_code, row.address, row.valid_from, row.valid_to,
                        True, content, 1, batch.pk, batch.pk))
            continue
        pk, stored, present, created = found
        # Added by this batch (an earlier chunk), or already listed: the file names the record twice.
        if pk in seen or created == batch.pk:
            errors.append(RowError(row.row, "身份证号", "与文件中前面的一行为同一人、同一类别，重复（已按前面的行导入）。"))
            continue
        seen.add(pk)
        if present and stored == content:
            counts.unchanged += 1
        else:
            to_change[pk] = row
    with transaction.atomic():
        changed = list(RegistryRecord.objects.filter(pk__in=to_change)) if to_change else []
        versions = [_version_of(record, batch, ChangeKind.UPDATED) for record in changed]
        for record in changed:
            row = to_change[record.pk]
            for name in VERSIONED:
                setattr(record, name, getattr(row, name))
            record.present, record.content_hash, record.changed_batch = True, row.content_hash, batch
            record.version += 1
        _insert(new)
        RegistryRecord.objects.bulk_update(changed, [*VERSIONED, "present", "content_hash", "changed_batch",
                                                     "version"])
        RegistryRecordVersion.objects.bulk_create(versions)
        _save_errors(batch, errors, counts)
    counts.added += len(new)
    counts.updated += len(changed)
    counts.invalid += len({e.row for e in errors})


def _expire_missing(batch: RegistryBatch, day: dt.date, counts: Counts, seen: Seen) -> None:
    """Records of the source that this snapshot no longer lists end the day before it was imported."""
    end = day - dt.timedelta(days=1)
    present = (RegistryRecord.objects.filter(source_id=batch.source_id, present=True)
               .exclude(created_batch=batch).order_by("pk").values_list("pk", flat=True))
    missing = [pk for pk in present.iterator(chunk_size=CHUNK) if pk not in seen]
    for start in range(0, len(missing), CHUNK):
        with transaction.atomic():
            records = list(RegistryRecord.objects.filter(pk__in=missing[start:start + CHUNK]))
            RegistryRecordVersion.objects.bulk_create([_version_of(r, batch, ChangeKind.EXPIRED) for r in records])
            for record in records:
                record.present, record.changed_batch = False, batch
                record.valid_to = min(record.valid_to, end) if record.valid_to else end
                record.version += 1
            RegistryRecord.objects.bulk_update(records, ["present", "changed_batch", "valid_to", "version"])
        counts.expired += len(records)
        reset_queries()


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
    seen = Seen()
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
        _apply_chunk(batch, good, errors, counts, seen)
        counts.rows += len(chunk)
        reset_queries()  # DEBUG keeps every statement otherwise: memory would grow with the file
        on_progress(counts.rows, scanned.rows, "写入信息库")
    on_progress(counts.rows, scanned.rows, "失效处理")
    _expire_missing(batch, day, counts, seen)
    return counts
