"""One partition per calendar year, on PostgreSQL, for the tables that only grow (docs/capacity.md).

At national volume (1.4 million cases a year) the case event log, the audit log, the consultations and the SMS and
notification logs gain tens of millions of rows a year and are never pruned: a case's history is kept as long as its
archive (30 years). In one table each, every year makes vacuum, index maintenance and the nightly dump longer. Split
by the year (China time, the year the statistics count in), each year is its own table with its own indexes:
- autovacuum and index growth work on the current year; a closed year is not written again;
- a closed year can be **frozen** (``partition_freeze``): made read-only by a trigger, vacuumed once with FREEZE,
  its rows copied once into a checksummed archive file, and from then on left out of the nightly dump
  (deploy/backup/fayuan-pg-dump.sh reads ``FrozenPartition``), so the nightly backup holds the live years only;
  ``partition_load_frozen`` puts the rows back after a restore;
- a query bounded in time (a period's consultations) reads only the years it names.
The rows stay in the table that the code reads: no query changes, the old years are still there to read.

SQLite (the embedded default for one center) keeps plain tables: everything here does nothing there.

What partitioning costs, and why it is acceptable for these tables: a primary key or unique constraint must contain
the partition column, so it is (id, time) in the database (the id stays unique in practice: it comes from one
sequence, or is a random UUID); and no foreign key can point at a partitioned table (``partition_by_year`` refuses
one: outreach's link to a consultation is kept by Django, not by a database constraint, for that reason). A schema
change to one of these tables later runs on the partitioned parent, which PostgreSQL passes on to every year.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .errors import Conflict, ValidationFailed

CHINA = ZoneInfo("Asia/Shanghai")
# The table comment says a table is ours to maintain, and whether a closed year may be frozen (a table whose old
# rows are still updated, such as notifications marked read, must not be).
MARK = "fayuan: partitioned by year"
FREEZABLE = "fayuan: partitioned by year; closed years can be frozen"
FROZEN_TRIGGER = "fayuan_frozen"
WINDOW_SETTING = "fayuan.frozen_writes"
HISTORY_YEARS = 3


class PartitionError(Conflict):
    """A partition could not be made, frozen or loaded; nothing was changed."""


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def year_bounds(year: int) -> tuple[str, str]:
    """The first instant of ``year`` and of the next, China time: the statistics count a case in the year it was
    received there, so a partition holds the same year the reports do."""
    return f"{year}-01-01 00:00:00+08", f"{year + 1}-01-01 00:00:00+08"


def this_year() -> int:
    return timezone.now().astimezone(CHINA).year


def _rows(cursor: Any, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params or None)  # None: no placeholders parsed, a literal % stays as it is
    return list(cursor.fetchall()) if cursor.description else []


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _with(options: list[str]) -> str:
    """A storage-parameter clause from ``pg_class.reloptions`` (``name=value`` strings PostgreSQL wrote itself)."""
    return f" WITH ({', '.join(options)})" if options else ""


def _shape(cursor: Any, table: str) -> tuple[list[tuple[Any, ...]], ...]:
    """What a rebuild must make again on the new table, read from the catalog: keys (name, p/u, columns), foreign
    keys (name, definition), other indexes and user triggers (their CREATE statements)."""
    keys = _rows(cursor, "SELECT conname, contype, ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY "
                         "u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) "
                         "FROM pg_constraint k WHERE k.conrelid = to_regclass(%s) AND contype IN ('p', 'u') "
                         "ORDER BY contype, conname", [table])
    foreign = _rows(cursor, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname", [table])
    indexes = _rows(cursor, "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = "
                            "to_regclass(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                            "WHERE k.conindid = i.indexrelid) ORDER BY i.indexrelid", [table])
    triggers = _rows(cursor, "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                             "AND NOT tgisinternal ORDER BY tgname", [table])
    return keys, foreign, indexes, triggers


# --- Converting a table ----------------------------------------------------------------------------------------


def partition_by_year(schema_editor: Any, table: str, column: str, *, freezable: bool, ahead: int = 2) -> None:
    """Rebuild ``table`` as a table range-partitioned by the year of ``column`` (a timestamp with time zone), with
    its rows, defaults, identity sequence (continuing where it was), check constraints, indexes, foreign keys and
    triggers. Years from the oldest row's to ``ahead`` years on get a partition; a DEFAULT partition takes anything
    outside them, so an insert never fails for want of a year. Runs in the migration's transaction; idempotent.

    Cost on a large table: every row is copied once (the migration's time is the table's size; docs/runbook.md)."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as c:
        if _rows(c, "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table]):
            return
        incoming = _rows(c, "SELECT conname, conrelid::regclass::text FROM pg_constraint "
                            "WHERE confrelid = to_regclass(%s) AND contype = 'f'", [table])
        if incoming:
            raise PartitionError(f"{table} 被外键引用（{incoming}），分区表不能被外键引用："
                                 "请先把这些外键改为 db_constraint=False。")
        unique_indexes = _rows(c, "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = "
                                  "to_regclass(%s) AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                                  "WHERE k.conindid = i.indexrelid)", [table])
        if unique_indexes:
            raise PartitionError(f"{table} 有不属于约束的唯一索引 {unique_indexes}："
                                 f"分区前需改写为包含 {column} 的约束。")
        keys, foreign, indexes, triggers = _shape(c, table)
        identity = _rows(c, "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attidentity <> '' "
                                "AND NOT attisdropped",
                         [table])
        serials = _rows(c, "SELECT a.attname, pg_get_serial_sequence(%s, a.attname) FROM pg_attribute a "
                           "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
                           "AND a.attidentity = '' "
                           "AND pg_get_serial_sequence(%s, a.attname) IS NOT NULL", [table, table, table])
        # Storage settings (deploy/postgresql/tables.sql) belong to the tables that hold rows: each year gets them.
        options = _rows(c, "SELECT reloptions FROM pg_class WHERE oid = to_regclass(%s)", [table])[0][0] or []
        oldest = _rows(c, f"SELECT EXTRACT(YEAR FROM MIN({_q(column)}) AT TIME ZONE 'Asia/Shanghai')::int "  # noqa: S608
                          f"FROM {_q(table)}")[0][0]
        # Three years back even when empty: the demo city's history, and an import of recent years, land in their
        # own year rather than in the DEFAULT partition (``partition_ensure`` splits older years out of it).
        first = min(oldest or this_year(), this_year() - HISTORY_YEARS)
        new = f"{table}__by_year"
        c.execute(f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING IDENTITY "
                  f"INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE) PARTITION BY RANGE ({_q(column)})")
        for year in range(first, this_year() + ahead + 1):
            low, high = year_bounds(year)
            c.execute(f"CREATE TABLE {_q(f'{table}_y{year}')} PARTITION OF {_q(new)} "
                      f"FOR VALUES FROM ('{low}') TO ('{high}')" + _with(options))
        c.execute(f"CREATE TABLE {_q(f'{table}_default')} PARTITION OF {_q(new)} DEFAULT")
        c.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")  # noqa: S608 (LIKE keeps the column order)
        for (name,) in identity:  # the new identity starts at 1: continue where the old one was
            old_sequence = _rows(c, "SELECT pg_get_serial_sequence(%s, %s)", [table, name])[0][0]
            state = _rows(c, f"SELECT last_value, is_called FROM {old_sequence}")  # noqa: S608 (catalog name)
            c.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)", [new, name, *state[0]])
        for name, sequence in serials:  # a serial's sequence would go with the old table
            c.execute(f"ALTER SEQUENCE {sequence} OWNED BY {_q(new)}.{_q(name)}")
        c.execute(f"DROP TABLE {_q(table)}")
        c.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
        for (name,) in identity:
            sequence = _rows(c, "SELECT pg_get_serial_sequence(%s, %s)", [table, name])[0][0]
            c.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(f'{table}_{name}_seq')}")
        for name, kind, columns in keys:  # the partition column joins every key, as PostgreSQL requires
            cols = ", ".join(_q(x) for x in [*columns, *([column] if column not in columns else [])])
            c.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} "
                      f"{'PRIMARY KEY' if kind == 'p' else 'UNIQUE'} ({cols})")
        for (definition,) in indexes:
            c.execute(definition)
        for name, definition in foreign:
            c.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for (definition,) in triggers:
            c.execute(definition)
        c.execute(f"COMMENT ON TABLE {_q(table)} IS '{FREEZABLE if freezable else MARK}'")


def unpartition(schema_editor: Any, table: str) -> None:
    """The reverse of ``partition_by_year``: one plain table again with every row, the keys without the partition
    column that ``partition_by_year`` added, the indexes, foreign keys, triggers, identity and the storage settings
    of the latest year. For going back past the migration (a test of an older migration, a rollback)."""
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as c:
        found = _rows(c, "SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a "
                         "ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
                         "WHERE p.partrelid = to_regclass(%s)", [table])
        if not found:
            return
        column = found[0][0]
        keys, foreign, indexes, triggers = _shape(c, table)
        identity = _rows(c, "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
                            "AND attidentity <> '' AND NOT attisdropped", [table])
        options = _rows(c, "SELECT c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                           "WHERE i.inhparent = to_regclass(%s) AND c.relname <> %s ORDER BY c.relname DESC LIMIT 1",
                        [table, f"{table}_default"])
        states = {}
        for (name,) in identity:
            sequence = _rows(c, "SELECT pg_get_serial_sequence(%s, %s)", [table, name])[0][0]
            states[name] = _rows(c, f"SELECT last_value, is_called FROM {sequence}")[0]  # noqa: S608 (catalog name)
        plain = f"{table}__plain"
        c.execute(f"CREATE TABLE {_q(plain)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING IDENTITY "
                  "INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)"
                  + _with((options[0][0] if options else None) or []))
        c.execute(f"INSERT INTO {_q(plain)} SELECT * FROM {_q(table)}")  # noqa: S608
        for name, state in states.items():
            c.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)", [plain, name, *state])
        c.execute(f"DROP TABLE {_q(table)}")  # its partitions go with it
        c.execute(f"ALTER TABLE {_q(plain)} RENAME TO {_q(table)}")
        for name in states:
            sequence = _rows(c, "SELECT pg_get_serial_sequence(%s, %s)", [table, name])[0][0]
            c.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(f'{table}_{name}_seq')}")
        for name, kind, columns in keys:
            kept = [x for x in columns if x != column] or columns
            c.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} "
                      f"{'PRIMARY KEY' if kind == 'p' else 'UNIQUE'} ({', '.join(_q(x) for x in kept)})")
        for (definition,) in indexes:
            c.execute(definition.replace(" ON ONLY ", " ON ", 1))
        for name, definition in foreign:
            c.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for (definition,) in triggers:
            c.execute(definition)


# --- What there is ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartitionedTable:
    table: str
    column: str
    freezable: bool


@dataclass(frozen=True)
class Partition:
    table: str
    name: str
    year: int | None  # None: the DEFAULT partition
    rows: int
    bytes: int
    frozen: bool


def partitioned_tables() -> list[PartitionedTable]:
    """The tables ``partition_by_year`` made (their comment says so), with their partition column."""
    if not is_postgresql():
        return []
    with connection.cursor() as c:
        found = _rows(c, "SELECT c.relname, a.attname, obj_description(c.oid, 'pg_class') FROM pg_partitioned_table p "
                         "JOIN pg_class c ON c.oid = p.partrelid "
                         "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] "
                         "WHERE obj_description(c.oid, 'pg_class') LIKE 'fayuan: partitioned by year%' "
                         "ORDER BY c.relname")
    return [PartitionedTable(t, col, comment == FREEZABLE) for t, col, comment in found]


def partitioned_table(table: str) -> PartitionedTable:
    for known in partitioned_tables():
        if known.table == table:
            return known
    names = ", ".join(t.table for t in partitioned_tables()) or "无"
    raise ValidationFailed(f"{table} 不是按年分区的表（可用：{names}）。",
                           field="table")


def partitions(table: str | None = None, *, exact: bool = False) -> list[Partition]:
    """Every partition of our partitioned tables (or of one), oldest year first, the DEFAULT last. Rows are the
    planner's estimate unless ``exact`` (a count per partition)."""
    from .models import FrozenPartition

    frozen = set(FrozenPartition.objects.values_list("partition", flat=True))
    out = []
    with connection.cursor() as c:
        for known in partitioned_tables():
            if table is not None and known.table != table:
                continue
            rows = _rows(c, "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid), "
                            "pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                            "JOIN pg_class c ON c.oid = i.inhrelid "
                            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname", [known.table])
            for name, estimate, size, bound in rows:
                year = None if bound == "DEFAULT" else int(name.rsplit("_y", 1)[1])
                count = (_rows(c, f"SELECT count(*) FROM {_q(name)}")[0][0] if exact  # noqa: S608
                         else max(int(estimate), 0))
                out.append(Partition(known.table, name, year, int(count), int(size), name in frozen))
    return sorted(out, key=lambda p: (p.table, p.year is None, p.year or 0))


# --- Keeping years ahead ---------------------------------------------------------------------------------------


def _partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def partition_add_year(*, table: str, year: int) -> bool:
    """Make ``table``'s partition for ``year`` if it has none; False when it exists. Rows of that year already in
    the DEFAULT partition (an import of old records) move into it. A table whose rows may not be deleted (the audit
    log) refuses the move, and nothing is changed."""
    known = partitioned_table(table)
    if not 1990 <= year <= this_year() + 50:
        raise ValidationFailed(f"年份 {year} 不在可建分区的范围内。", field="year")
    name = _partition_name(table, year)
    low, high = year_bounds(year)
    col = _q(known.column)
    with transaction.atomic(), connection.cursor() as c:
        if _rows(c, "SELECT to_regclass(%s)", [name])[0][0] is not None:
            return False
        default = _q(f"{table}_default")
        # The DEFAULT partition's rows of the year move out first: attaching the year checks it holds none.
        c.execute(f"LOCK TABLE {_q(table)} IN SHARE ROW EXCLUSIVE MODE")
        # A new year takes the storage settings of the latest year before it (tables.sql sets them per year).
        options = _rows(c, "SELECT c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                           "WHERE i.inhparent = to_regclass(%s) AND c.relname <> %s ORDER BY c.relname DESC LIMIT 1",
                        [table, f"{table}_default"])
        c.execute(f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                  + _with((options[0][0] if options else None) or []))
        c.execute(f"WITH moved AS (DELETE FROM {default} WHERE {col} >= %s AND {col} < %s RETURNING *) "  # noqa: S608
                  f"INSERT INTO {_q(name)} SELECT * FROM moved", [low, high])
        c.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES FROM ('{low}') TO ('{high}')")
    return True


def _years_in_default(table: str, column: str) -> list[int]:
    with connection.cursor() as c:
        found = _rows(c, f"SELECT DISTINCT EXTRACT(YEAR FROM {_q(column)} AT TIME ZONE 'Asia/Shanghai')::int "  # noqa: S608
                         f"FROM {_q(f'{table}_default')}")
    return sorted(int(y) for (y,) in found if y is not None)


def partition_ensure(*, years_ahead: int = 2) -> tuple[list[str], list[str]]:
    """The scheduler's daily check: every partitioned table has this year's partition and the next ``years_ahead``
    years' (normally made long before, so nothing happens), and each year that has rows in the DEFAULT partition
    (an import of old records) gets its own partition, its rows moved there. Returns (partitions made, problems):
    a table whose rows may not be deleted (the audit log) keeps such rows in DEFAULT, and says so; so does a run
    as the application role, which may not create tables (production runs this as the owner role at each upgrade;
    the years the migrations made reach two years ahead, and DEFAULT takes any row meanwhile)."""
    made, problems = [], []
    for known in partitioned_tables():
        ahead = set(range(this_year(), this_year() + years_ahead + 1))
        for year in sorted(ahead | set(_years_in_default(known.table, known.column))):
            if not 1990 <= year <= this_year() + 50:
                problems.append(f"{known.table}：默认分区中有 {year} 年的记录，年份不合理，未处理")
                continue
            try:
                if partition_add_year(table=known.table, year=year):
                    made.append(_partition_name(known.table, year))
            except DatabaseError as exc:  # the audit log's rows cannot move; the app role cannot make tables
                problems.append(f"{known.table}：未能建立 {year} 年的分区（{str(exc).splitlines()[0]}）")
    return made, problems


# --- Freezing a closed year ------------------------------------------------------------------------------------


def archive_dir() -> Path:
    return Path(settings.PARTITION_ARCHIVE_DIR)


def _file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _columns(cursor: Any, table: str) -> list[str]:
    return [r[0] for r in _rows(cursor, "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) "
                                        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", [table])]


def _install_frozen_function(cursor: Any) -> None:
    """The trigger of a frozen year refuses every write, unless the transaction opened the window of
    ``frozen_writes_allowed`` (the anonymization that retention requires); such a write marks the year changed, so
    the nightly dump takes its rows again until ``partition_rearchive`` has written a new archive file."""
    cursor.execute(
        "CREATE OR REPLACE FUNCTION fayuan_partition_frozen() RETURNS trigger AS $$ BEGIN "  # noqa: S608 (constants only)
        f"IF current_setting('{WINDOW_SETTING}', true) = 'on' AND TG_LEVEL = 'ROW' THEN "
        "UPDATE core_frozenpartition SET changed_at = now() WHERE partition = TG_TABLE_NAME AND changed_at IS NULL; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; "
        "RAISE EXCEPTION '% 的该年度数据已封存归档，不能再新增、修改或删除（见 docs/capacity.md）', TG_TABLE_NAME "
        "USING ERRCODE = 'object_not_in_prerequisite_state'; END $$ LANGUAGE plpgsql")


@contextmanager
def frozen_writes_allowed() -> Iterator[None]:
    """Within the caller's transaction, let writes reach frozen years: for the anonymization that retention
    requires of old records, never for ordinary work. Each year written is marked changed (see above)."""
    if not is_postgresql():
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("frozen_writes_allowed() needs a transaction (it sets a transaction-local setting)")
    with connection.cursor() as c:
        c.execute(f"SET LOCAL {WINDOW_SETTING} = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute(f"SET LOCAL {WINDOW_SETTING} = 'off'")


def partition_freeze(*, actor: Any, table: str, year: int) -> Any:
    """Freeze ``table``'s partition of ``year``: refuse every later write to it (a trigger), copy its rows once into
    ``PARTITION_ARCHIVE_DIR/<partition>.copy.gz`` (PostgreSQL's COPY text, gzip), record the file's SHA-256 and the
    row count in ``FrozenPartition``, then VACUUM FREEZE it. From then on the nightly dump leaves its rows out.

    Only a year closed for ``PARTITION_FREEZE_AFTER_YEARS`` years, of a table that allows it; the audit log's year
    only once every entry in it is sealed (the seal chain is what proves the archived rows unchanged)."""
    from .audit import audit_record, audit_sealed_through
    from .models import AuditAction, AuditEntry, FrozenPartition

    known = partitioned_table(table)
    if not known.freezable:
        raise PartitionError(f"{table} 的旧数据仍会被修改，不能封存归档。")
    latest = this_year() - settings.PARTITION_FREEZE_AFTER_YEARS
    if year > latest:
        raise PartitionError(f"{year} 年尚未结束满 {settings.PARTITION_FREEZE_AFTER_YEARS} 年，"
                             f"最晚只能封存 {latest} 年。")
    name = _partition_name(table, year)
    if FrozenPartition.objects.filter(partition=name).exists():
        raise PartitionError(f"{name} 已封存。")
    target = archive_dir() / f"{name}.copy.gz"
    with transaction.atomic(), connection.cursor() as c:
        if _rows(c, "SELECT to_regclass(%s)", [name])[0][0] is None:
            raise PartitionError(f"{table} 没有 {year} 年的分区。")
        # Writers wait from here until the trigger is in place and the copy is taken.
        c.execute(f"LOCK TABLE {_q(name)} IN EXCLUSIVE MODE")
        if table == AuditEntry._meta.db_table:
            high = _rows(c, f"SELECT MAX(seq) FROM {_q(name)}")[0][0]  # noqa: S608
            if high is not None and high > audit_sealed_through():
                raise PartitionError(f"{year} 年的审计记录尚未全部封存（至第 {high} 条），请先运行 audit_seal。")
        _install_frozen_function(c)
        c.execute(f"CREATE TRIGGER {FROZEN_TRIGGER} BEFORE INSERT OR UPDATE OR DELETE ON {_q(name)} "
                  "FOR EACH ROW EXECUTE FUNCTION fayuan_partition_frozen()")
        c.execute(f"CREATE TRIGGER {FROZEN_TRIGGER}_truncate BEFORE TRUNCATE ON {_q(name)} "
                  "FOR EACH STATEMENT EXECUTE FUNCTION fayuan_partition_frozen()")
        columns = _columns(c, name)
        rows = _write_archive(c, name, columns, target)
        frozen = FrozenPartition.objects.create(
            table=table, partition=name, year=year, rows=rows, columns=columns, file_name=target.name,
            file_bytes=target.stat().st_size, sha256=_file_sha256(target),
            frozen_by=getattr(actor, "username", "") or "", frozen_at=timezone.now())
        audit_record(actor=actor, action=AuditAction.EXPORT, obj=frozen,
                     detail={"partition": name, "rows": rows, "sha256": frozen.sha256})
    if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (a test's, or a caller's)
        with connection.cursor() as c:
            c.execute(f"VACUUM (FREEZE, ANALYZE) {_q(name)}")
    return frozen


def _write_archive(cursor: Any, partition: str, columns: list[str], target: Path) -> int:
    """COPY the partition's rows, in key order, into a gzip file at ``target`` (written aside, then renamed);
    returns the row count (COPY text ends each row with a newline and escapes the ones inside values)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_suffix(".partial")
    rows = 0
    with gzip.open(aside, "wb", compresslevel=6) as out, cursor.cursor.copy(
            f"COPY (SELECT * FROM {_q(partition)} ORDER BY {_q(columns[0])}) TO STDOUT") as copy:  # noqa: S608
        for block in copy:
            out.write(block)
            rows += bytes(block).count(b"\n")
    aside.replace(target)
    return rows


def partition_rearchive() -> list[str]:
    """Write a new archive file for every frozen year changed since it was archived (anonymized records), record
    its checksum and count, and delete the old file, which still held what the anonymization removed. The daily job
    runs it after the anonymization. Returns the partitions rewritten."""
    from .models import FrozenPartition

    done = []
    for frozen in FrozenPartition.objects.filter(changed_at__isnull=False).order_by("partition"):
        with transaction.atomic(), connection.cursor() as c:
            frozen = FrozenPartition.objects.select_for_update().get(pk=frozen.pk)
            if frozen.changed_at is None:
                continue  # another run did it
            old = archive_dir() / frozen.file_name
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
            target = archive_dir() / f"{frozen.partition}.{stamp}.copy.gz"
            frozen.rows = _write_archive(c, frozen.partition, frozen.columns, target)
            frozen.file_name, frozen.file_bytes = target.name, target.stat().st_size
            frozen.sha256 = _file_sha256(target)
            frozen.changed_at, frozen.rearchived_at = None, timezone.now()
            frozen.save(update_fields=["rows", "file_name", "file_bytes", "sha256", "changed_at", "rearchived_at"])
            transaction.on_commit(partial(old.unlink, missing_ok=True))
        done.append(frozen.partition)
    return done


def partition_load_frozen(*, directory: Path | None = None) -> dict[str, int]:
    """After a restore from a nightly dump (which leaves frozen years' rows out): load every frozen partition that
    is empty from its archive file, checking the file's SHA-256 and the row count against ``FrozenPartition``.
    Returns rows loaded per partition; a partition that already holds rows is left alone."""
    from .models import FrozenPartition

    source = Path(directory) if directory else archive_dir()
    loaded = {}
    for frozen in FrozenPartition.objects.order_by("table", "year"):
        path = source / frozen.file_name
        with transaction.atomic(), connection.cursor() as c:
            if _rows(c, f"SELECT EXISTS (SELECT 1 FROM {_q(frozen.partition)})")[0][0]:  # noqa: S608
                continue
            if not path.exists():
                raise PartitionError(f"找不到 {frozen.partition} 的归档文件 {path}。")
            if _file_sha256(path) != frozen.sha256:
                raise PartitionError(f"{path} 的 SHA-256 与封存时记录的不符：文件已损坏或被替换。")
            cols = ", ".join(_q(x) for x in frozen.columns)
            # The frozen trigger refuses every insert: this load is the one write it must let through. (A table
            # with deferred checks still pending in this transaction cannot be altered: run them now.)
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            c.execute(f"ALTER TABLE {_q(frozen.partition)} DISABLE TRIGGER {FROZEN_TRIGGER}")
            with gzip.open(path, "rb") as f, c.cursor.copy(
                    f"COPY {_q(frozen.partition)} ({cols}) FROM STDIN") as copy:
                for block in iter(lambda: f.read(1 << 20), b""):
                    copy.write(block)
            c.execute(f"ALTER TABLE {_q(frozen.partition)} ENABLE TRIGGER {FROZEN_TRIGGER}")
            count = _rows(c, f"SELECT count(*) FROM {_q(frozen.partition)}")[0][0]  # noqa: S608
            if count != frozen.rows:
                raise PartitionError(f"{frozen.partition} 载入 {count} 行，封存时为 {frozen.rows} 行。")
            loaded[frozen.partition] = count
    return loaded


def frozen_for_dump() -> list[str]:
    """The partitions whose rows the nightly dump leaves out: frozen, and unchanged since their archive file was
    written (the backup script asks the same of the table directly)."""
    from .models import FrozenPartition

    return list(FrozenPartition.objects.filter(changed_at__isnull=True).order_by("partition")
                .values_list("partition", flat=True))


def this_years_partition_name(table: str, when: dt.datetime) -> str:
    """The partition that holds a row of ``table`` stamped ``when`` (for tests and the runbook's checks)."""
    return _partition_name(table, when.astimezone(CHINA).year)
