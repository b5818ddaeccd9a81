"""The audit log: append (the only way entries are written), seal, export the latest seal, verify.

Every service that writes, and every selector that returns a person's details, calls ``audit_record`` inside its
own transaction, so the record of an action commits or rolls back with the action itself. Appending takes no
lock that another append waits for: the entry's number is the table's identity sequence, and its ``digest`` is
computed from its own fields alone. Entries become tamper-evident when the sealer (``audit_seal``, every minute
from the scheduler) covers them with a keyed seal; docs/audit.md gives the design and the window.

Sealing must never leave behind an entry that commits later inside a sealed range: on PostgreSQL a transaction
can draw number 10, stay open, and commit after number 11 did (and a rolled-back one leaves 10 unused for good).
So every append first takes a *shared* transaction-level advisory lock, which no other append waits for; the
sealer reads the sequence's last value ``H``, then the transactions holding that lock, and waits for exactly those
to end. Any transaction that drew a number up to ``H`` took the lock before drawing it, so it is either among
those or already over: afterwards every number up to ``H`` has committed or never will, and the sealer seals up
to ``H``. A transaction that stays open longer than ``AUDIT_SEAL_WAIT_SECONDS`` holds sealing back (nothing is
skipped); the next run tries again. On SQLite writers are serialised by the database, so every number not yet
visible is above the highest visible one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from .context import current_meta
from .models import AuditAction, AuditEntry, AuditSeal, AuditVerification, VerificationTrigger

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# pg_advisory_*_lock(int4, int4) keys: the namespace ("FYAU"), then 1 for appends in flight (shared), 2 for the
# one sealer (exclusive). pg_locks shows them with objsubid = 2.
LOCK_SPACE = 0x46594155
LOCK_APPENDS = 1
LOCK_SEALER = 2
MAC_VERSION = "fayuan-audit-seal-v1"


def _canonical(entry: AuditEntry) -> bytes:
    """The fields an entry's digest covers. Entries of the old hash chain (``prev_hash`` set) keep their old form,
    which also covered their number and the previous hash."""
    occurred = entry.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    fields = [occurred, entry.actor_id, entry.actor_username, entry.actor_role, entry.action, entry.object_type,
              entry.object_id, entry.detail, entry.purpose, entry.ip_address]
    payload = [entry.seq, *fields, entry.prev_hash] if entry.prev_hash else ["v2", *fields]
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    """The entry's content digest (SHA-256 of its canonical fields; unkeyed: the seals carry the key)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _append_lock_held() -> None:
    """Stands in the connection's on-commit list while this transaction holds the appends' lock; never does anything.
    Django drops the list's entries exactly when PostgreSQL drops the lock: at commit, at rollback, and at the
    rollback of the savepoint they were taken in."""


def _mark_append_in_flight() -> None:
    """Tell the sealer this transaction is about to draw an entry number (see the module docstring). Shared:
    appends never wait for each other; only the sealer looks, and it never takes this lock itself. Once per
    transaction: a submit appends five entries, and the lock, held to the end, covers every later one."""
    if connection.vendor != "postgresql":
        return
    if any(entry[1] is _append_lock_held for entry in connection.run_on_commit):  # (savepoints, callback, robust)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [LOCK_SPACE, LOCK_APPENDS])
    transaction.on_commit(_append_lock_held)


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry in the caller's transaction (or its own). No row lock: concurrent appends do not queue."""
    if obj is not None:
        object_type, object_id = _describe(obj)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        # Truncated to microseconds so the digest input survives the database round trip on every backend.
        occurred_at=timezone.now().astimezone(dt.UTC),
        actor=actor if is_user else None,
        actor_username=actor.get_username() if is_user else "",
        actor_role=(getattr(actor, "role", "") or "") if is_user else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        purpose=purpose[:200],
        ip_address=current_meta().ip_address,
    )
    entry.digest = compute_hash(entry)
    # No savepoint: an append that fails must fail the caller's transaction anyway, and two round trips a call
    # add up on pages that audit several reads.
    with transaction.atomic(savepoint=False):
        _mark_append_in_flight()
        entry.save(force_insert=True)
    return entry


# --- Sealing --------------------------------------------------------------------------------------------------


def _key_id(key: str) -> str:
    """A public label of a seal key (which key made a seal), from which the key cannot be recovered."""
    return hmac.new(key.encode(), b"fayuan-audit-seal-key-id", hashlib.sha256).hexdigest()[:16]


def _keys() -> dict[str, str]:
    keys = [settings.AUDIT_SEAL_KEY, *settings.AUDIT_SEAL_RETIRED_KEYS]
    return {_key_id(k): k for k in keys}


def batch_digest(pairs: Iterator[tuple[int, str]] | list[tuple[int, str]]) -> tuple[str, int]:
    """SHA-256 over ``seq:digest`` lines in order, and the count: moving, dropping or adding an entry changes it."""
    h = hashlib.sha256()
    count = 0
    for seq, digest in pairs:
        h.update(f"{seq}:{digest}\n".encode())
        count += 1
    return h.hexdigest(), count


def seal_mac(*, key: str, first_seq: int, last_seq: int, entries: int, batch: str, prev_mac: str,
             sealed_at: dt.datetime, key_id: str) -> str:
    message = "\n".join([
        MAC_VERSION, str(first_seq), str(last_seq), str(entries), batch, prev_mac,
        sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds"), key_id,
    ])
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def _mac_of(seal: AuditSeal, key: str) -> str:
    return seal_mac(key=key, first_seq=seal.first_seq, last_seq=seal.last_seq, entries=seal.entries,
                    batch=seal.batch_digest, prev_mac=seal.prev_mac, sealed_at=seal.sealed_at, key_id=seal.key_id)


def _settled_through(wait_seconds: float) -> int | None:
    """The highest entry number below which nothing can still commit, or None when transactions that may hold
    lower numbers did not end within ``wait_seconds`` (seal nothing new this time rather than skip them)."""
    if connection.vendor != "postgresql":
        return int(AuditEntry.objects.aggregate(high=models.Max("seq"))["high"] or 0)
    with connection.cursor() as cursor:
        # First the sequence, then who holds the append lock: the order is what makes the proof work.
        cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence('core_auditentry', 'seq')::regclass)")
        high = int(cursor.fetchone()[0] or 0)
        holders_sql = (
            "SELECT DISTINCT virtualtransaction FROM pg_locks WHERE locktype = 'advisory'"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = %s AND objid = %s AND objsubid = 2 AND pid <> pg_backend_pid()"
        )
        cursor.execute(holders_sql, [LOCK_SPACE, LOCK_APPENDS])
        pending = [row[0] for row in cursor.fetchall()]
        deadline = time.monotonic() + wait_seconds
        while pending:
            if time.monotonic() >= deadline:
                log.warning("audit seal: %d transaction(s) still appending after %.1fs; sealing waits",
                            len(pending), wait_seconds)
                return None
            time.sleep(0.02)
            cursor.execute(holders_sql + " AND virtualtransaction = ANY(%s)", [LOCK_SPACE, LOCK_APPENDS, pending])
            pending = [row[0] for row in cursor.fetchall()]
        return high


def _take_sealer_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: one writer at a time, and the unique range columns refuse a second sealer's seal
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_SPACE, LOCK_SEALER])
        return bool(cursor.fetchone()[0])


def audit_seal(*, batch: int | None = None, wait_seconds: float | None = None) -> list[AuditSeal]:
    """Seal every entry that has settled since the last seal, ``batch`` entries per seal, each seal chained to
    the one before by its MAC. Idempotent: a run with nothing new seals nothing; a second sealer running at the
    same time seals nothing (PostgreSQL: advisory lock; SQLite: the unique range refuses it)."""
    batch = batch or settings.AUDIT_SEAL_BATCH
    wait = settings.AUDIT_SEAL_WAIT_SECONDS if wait_seconds is None else wait_seconds
    high = _settled_through(wait)
    if not high:
        return []
    key = settings.AUDIT_SEAL_KEY
    key_id = _key_id(key)
    made: list[AuditSeal] = []
    try:
        with transaction.atomic():
            if not _take_sealer_lock():
                return []
            last = AuditSeal.objects.order_by("-id").first()
            through, prev_mac = (last.last_seq, last.mac) if last else (0, GENESIS_HASH)
            while through < high:
                pairs = list(AuditEntry.objects.filter(seq__gt=through, seq__lte=high).order_by("seq")
                             .values_list("seq", "digest")[:batch])
                if not pairs:
                    break  # only numbers never committed remain: the next seal's range takes them in
                # The last batch reaches to ``high``: numbers above the last entry up to it never committed.
                last_seq = high if len(pairs) < batch else pairs[-1][0]
                digest, count = batch_digest(pairs)
                sealed_at = timezone.now()
                seal = AuditSeal(first_seq=through + 1, last_seq=last_seq, entries=count, batch_digest=digest,
                                 prev_mac=prev_mac, key_id=key_id, sealed_at=sealed_at)
                seal.mac = _mac_of(seal, key)
                seal.save(force_insert=True)
                made.append(seal)
                through, prev_mac = last_seq, seal.mac
    except IntegrityError:  # SQLite: another sealer sealed this range a moment ago
        return []
    return made


@dataclass(frozen=True)
class SealExport:
    path: Path
    record: dict[str, Any]


def _export_record(seal: AuditSeal) -> dict[str, Any]:
    return {"seal": seal.pk, "first_seq": seal.first_seq, "last_seq": seal.last_seq, "entries": seal.entries,
            "mac": seal.mac, "key_id": seal.key_id,
            "sealed_at": seal.sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds")}


def audit_seal_export(*, path: Path | str | None = None) -> SealExport | None:
    """Seal what has settled, then append the latest seal as one JSON line to the auditor's file (opened for
    appending only: earlier lines are never read or rewritten here). None when nothing is sealed yet."""
    audit_seal()
    seal = AuditSeal.objects.order_by("-id").first()
    if seal is None:
        return None
    target = Path(path or settings.AUDIT_SEAL_EXPORT_PATH)
    record = _export_record(seal) | {"exported_at": timezone.now().astimezone(dt.UTC).isoformat()}
    line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    audit_record(actor=None, action=AuditAction.EXPORT, obj=seal,
                 detail={"seal": seal.pk, "last_seq": seal.last_seq})
    return SealExport(target, record)


# --- Verification ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    reason: str = ""
    seals: int = 0
    sealed_through: int = 0
    unsealed: int = 0
    exports_checked: int = 0


class _Broken(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.reason = seq, reason


PROGRESS_EVERY = 500


def _in_pages(model: type[AuditEntry] | type[AuditSeal], key: str, size: int) -> Iterator[Any]:
    """Every row in ``key`` order, page after page, each page its own query. Not ``.iterator()``: on SQLite that
    keeps one read open across the whole walk, and a connection holding a read snapshot that another connection has
    since written past cannot write at all ("database is locked" at once, whatever the busy timeout), so the
    progress updates of a verification failed while the web server, the sealer or the demo seeder wrote."""
    last = None
    while True:
        rows = model.objects.order_by(key)
        page = list((rows if last is None else rows.filter(**{f"{key}__gt": last}))[:size])
        yield from page
        if len(page) < size:
            return
        last = getattr(page[-1], key)


class _Walk:
    """Entries in number order, each checked against its digest, consumed seal by seal."""

    def __init__(self, on_progress: Callable[[int], None] | None) -> None:
        self._entries: Iterator[AuditEntry] = _in_pages(AuditEntry, "seq", 2000)
        self._next: AuditEntry | None = next(self._entries, None)
        self._on_progress = on_progress
        self.checked = 0

    def take_through(self, last_seq: int | None) -> Iterator[tuple[int, str]]:
        while self._next is not None and (last_seq is None or self._next.seq <= last_seq):
            entry, self._next = self._next, next(self._entries, None)
            if compute_hash(entry) != entry.digest:
                raise _Broken(entry.seq, "记录内容与其摘要不符（记录被修改）")
            if self._on_progress is not None and self.checked and self.checked % PROGRESS_EVERY == 0:
                self._on_progress(self.checked)
            self.checked += 1
            yield entry.seq, entry.digest


def _read_export(path: Path | str) -> list[dict[str, Any]]:
    records = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise _Broken(None, f"无法读取封存导出文件：{exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            records.append({k: record[k] for k in ("seal", "first_seq", "last_seq", "mac")})
        except (ValueError, KeyError, TypeError) as exc:
            raise _Broken(None, f"封存导出文件第 {number} 行无法解析") from exc
    return records


def _check_against_export(records: list[dict[str, Any]]) -> None:
    """Each seal the auditor holds must still be in the database as it was: a chain of seals rebuilt by someone
    with database access (with any key, or a stolen one) no longer matches what was exported before."""
    seals = AuditSeal.objects.in_bulk([r["seal"] for r in records if isinstance(r["seal"], int)])
    for record in records:
        seal = seals.get(record["seal"])
        if seal is None:
            raise _Broken(record["first_seq"],
                          f"审计员保存的第 {record['seal']} 号封存在数据库中已不存在（封存链被改写）")
        if (seal.first_seq, seal.last_seq, seal.mac) != (record["first_seq"], record["last_seq"], record["mac"]):
            raise _Broken(record["first_seq"],
                          f"第 {record['seal']} 号封存与审计员保存的导出不符（封存链被改写）")


def verify_chain(on_progress: Callable[[int], None] | None = None, *,
                 against: Path | str | None = None) -> ChainReport:
    """Check every seal (link, contiguous range, key, MAC), every entry against its digest and every sealed batch
    against its seal; with ``against``, also the seals the auditor exported. Reports the first fault found.

    ``on_progress(checked)`` is called every few hundred entries (a long run's progress; it may raise to stop)."""
    keys = _keys()
    walk = _Walk(on_progress)
    seals = 0
    through = 0
    prev_mac = GENESIS_HASH
    exports = 0
    try:
        for seal in _in_pages(AuditSeal, "id", 500):
            where = f"第 {seal.first_seq}–{seal.last_seq} 条的封存"
            if seal.prev_mac != prev_mac:
                raise _Broken(seal.first_seq, f"{where}未接上前一个封存（封存被删除、插入或替换）")
            if seal.first_seq != through + 1:
                raise _Broken(through + 1, f"{where}与前一个封存之间有空缺或重叠")
            key = keys.get(seal.key_id)
            if key is None:
                raise _Broken(seal.first_seq, f"{where}由未知密钥生成（封存链被改写）")
            if not hmac.compare_digest(_mac_of(seal, key), seal.mac):
                raise _Broken(seal.first_seq, f"{where} MAC 不符（封存被改写）")
            digest, count = batch_digest(walk.take_through(seal.last_seq))
            if count != seal.entries:
                raise _Broken(seal.first_seq, f"{where}记录数为 {count}，封存时为 {seal.entries}（记录被删除或插入）")
            if digest != seal.batch_digest:
                raise _Broken(seal.first_seq, f"{where}内的记录与封存时不符（记录被修改、删除或插入）")
            seals += 1
            through, prev_mac = seal.last_seq, seal.mac
        sealed = walk.checked
        for _ in walk.take_through(None):
            pass
        if against is not None:
            records = _read_export(against)
            _check_against_export(records)
            exports = len(records)
    except _Broken as broken:
        return ChainReport(walk.checked, False, broken.seq, broken.reason, seals=seals, sealed_through=through)
    return ChainReport(walk.checked, True, seals=seals, sealed_through=through, unsealed=walk.checked - sealed,
                       exports_checked=exports)


def audit_verification_run(*, actor: Any, trigger: VerificationTrigger | str,
                           on_progress: Callable[[int], None] | None = None,
                           against: Path | str | None = None) -> AuditVerification:
    """Verify the log and keep the result (the auditor's page shows the latest run). The check itself is recorded
    in the log, like the auditor's on-screen check."""
    started = timezone.now()
    report = verify_chain(on_progress=on_progress, against=against)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        run = AuditVerification.objects.create(
            started_at=started, finished_at=timezone.now(), checked=report.checked, ok=report.ok,
            broken_seq=report.broken_seq, reason=report.reason[:200], trigger=str(trigger),
            sealed_through=report.sealed_through, unsealed=report.unsealed, exports_checked=report.exports_checked,
            by=actor if is_user else None,
        )
        audit_record(actor=actor, action=AuditAction.READ, obj=run,
                     detail={"verified": report.checked, "ok": report.ok, "trigger": str(trigger)})
    return run


def audit_sealed_through() -> int:
    """The number of the last sealed entry (0 before the first seal): entries after it are not yet sealed."""
    return AuditSeal.objects.order_by("-id").values_list("last_seq", flat=True).first() or 0


def audit_verification_latest() -> AuditVerification | None:
    return AuditVerification.objects.select_related("by").order_by("-finished_at", "-id").first()
