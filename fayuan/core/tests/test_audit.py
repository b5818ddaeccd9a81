"""The audit log: lock-free appends, keyed seals, the daily export, and what verification finds.

Each tampering test plays an attacker with direct database access who switches the append-only guard off."""

import itertools
import json
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from fayuan.core.audit import (
    GENESIS_HASH,
    _mac_of,
    audit_record,
    audit_seal,
    audit_seal_export,
    batch_digest,
    compute_hash,
    verify_chain,
)
from fayuan.core.models import AuditAction, AuditEntry, AuditSeal


def _disable_append_only_guard() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the ALTER
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change")
            cursor.execute("ALTER TABLE core_auditseal DISABLE TRIGGER core_auditseal_no_change")
        else:
            for table in ("core_auditentry", "core_auditseal"):
                cursor.execute(f"DROP TRIGGER {table}_no_update")
                cursor.execute(f"DROP TRIGGER {table}_no_delete")


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _append(n: int, prefix: str = "") -> list[AuditEntry]:
    return [audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id=f"{prefix}{i}")
            for i in range(n)]


@pytest.fixture
def chain(db):
    return _append(5)


@pytest.fixture
def sealed(chain):
    """Five entries under two seals (3 + 2)."""
    seals = audit_seal(batch=3)
    assert [s.entries for s in seals] == [3, 2]
    return chain


def _rewrite_seal(seal: AuditSeal, *, key: str) -> None:
    """What an attacker without the real key can do: recompute the batch digest and a MAC with some key."""
    pairs = list(AuditEntry.objects.filter(seq__gte=seal.first_seq, seq__lte=seal.last_seq)
                 .order_by("seq").values_list("seq", "digest"))
    seal.batch_digest, seal.entries = batch_digest(pairs)
    seal.mac = _mac_of(seal, key)
    _sql("UPDATE core_auditseal SET batch_digest = %s, entries = %s, mac = %s WHERE id = %s",
         [seal.batch_digest, seal.entries, seal.mac, seal.pk])


# --- Appending ------------------------------------------------------------------------------------------------


def test_entries_are_numbered_in_order_and_carry_their_content_digest(chain):
    assert [e.seq for e in chain] == sorted(e.seq for e in chain)
    for entry in AuditEntry.objects.order_by("seq"):
        assert entry.prev_hash == ""
        assert entry.digest == compute_hash(entry)
    report = verify_chain()
    assert (report.ok, report.checked, report.unsealed, report.sealed_through) == (True, 5, 5, 0)


def test_verify_command_reports_intact_chain(sealed, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "已校验 5 条" in out
    assert f"已封存至第 {sealed[-1].seq} 条" in out


def test_database_refuses_update_and_delete_of_entries_and_seals(sealed):
    seq = sealed[1].seq
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=seq).update(purpose="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=sealed[-1].seq).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.update(mac="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.order_by("-id").first().delete()


def test_action_rolled_back_leaves_no_audit_entry(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action=AuditAction.CREATE, object_type="x", object_id="1")
        raise RuntimeError
    assert AuditEntry.objects.count() == 0
    assert verify_chain().ok


# --- Sealing --------------------------------------------------------------------------------------------------


def test_the_sealer_seals_in_batches_into_a_chain_of_contiguous_keyed_seals(chain):
    seals = audit_seal(batch=2)
    assert [s.entries for s in seals] == [2, 2, 1]
    assert seals[0].first_seq == 1 and seals[0].prev_mac == GENESIS_HASH
    for prev, seal in itertools.pairwise(seals):
        assert seal.first_seq == prev.last_seq + 1  # no gap, no overlap
        assert seal.prev_mac == prev.mac
    assert seals[-1].last_seq == chain[-1].seq
    assert all(len(s.mac) == 64 and s.mac != s.batch_digest for s in seals)
    report = verify_chain()
    assert (report.ok, report.seals, report.sealed_through, report.unsealed) == (True, 3, chain[-1].seq, 0)


def test_sealing_is_idempotent_and_the_next_seal_continues_where_the_last_ended(sealed):
    assert audit_seal() == []
    assert audit_seal() == []
    later = _append(2, "later-")
    (seal,) = audit_seal()
    assert (seal.first_seq, seal.last_seq, seal.entries) == (sealed[-1].seq + 1, later[-1].seq, 2)
    assert AuditSeal.objects.count() == 3
    assert verify_chain().ok


def test_the_mac_depends_on_the_key(sealed, settings):
    seal = AuditSeal.objects.order_by("id").first()
    assert _mac_of(seal, settings.AUDIT_SEAL_KEY) == seal.mac
    assert _mac_of(seal, "another key") != seal.mac


def test_a_retired_key_still_verifies_the_seals_it_made(sealed, settings):
    old = settings.AUDIT_SEAL_KEY
    settings.AUDIT_SEAL_KEY, settings.AUDIT_SEAL_RETIRED_KEYS = "the new key", [old]
    _append(1)
    assert audit_seal()[0].key_id != AuditSeal.objects.order_by("id").first().key_id
    assert verify_chain().ok
    settings.AUDIT_SEAL_RETIRED_KEYS = []
    report = verify_chain()
    assert not report.ok and "未知密钥" in report.reason


# --- What verification finds ------------------------------------------------------------------------------------


def test_edited_entry_is_found_at_that_entry(sealed):
    _disable_append_only_guard()
    _sql("UPDATE core_auditentry SET object_id = %s WHERE seq = %s", ["tampered", sealed[2].seq])
    report = verify_chain()
    assert (report.ok, report.broken_seq, report.checked) == (False, sealed[2].seq, 2)
    assert "被修改" in report.reason
    with pytest.raises(CommandError, match=f"第 {sealed[2].seq} 条"):
        call_command("verify_audit")


def test_edited_entry_with_its_digest_recomputed_breaks_its_seal(sealed):
    _disable_append_only_guard()
    entry = AuditEntry.objects.get(seq=sealed[3].seq)
    entry.object_id = "tampered"
    _sql("UPDATE core_auditentry SET object_id = %s, digest = %s WHERE seq = %s",
         ["tampered", compute_hash(entry), entry.seq])
    report = verify_chain()
    second = AuditSeal.objects.order_by("id")[1]
    assert (report.ok, report.broken_seq) == (False, second.first_seq)
    assert "与封存时不符" in report.reason


@pytest.mark.parametrize("which", [1, -1], ids=["middle", "last"])
def test_deleted_entry_is_found(sealed, which):
    _disable_append_only_guard()
    _sql("DELETE FROM core_auditentry WHERE seq = %s", [sealed[which].seq])
    report = verify_chain()
    assert not report.ok
    assert "记录被删除或插入" in report.reason
    seal = AuditSeal.objects.get(first_seq__lte=sealed[which].seq, last_seq__gte=sealed[which].seq)
    assert report.broken_seq == seal.first_seq


def test_entry_inserted_inside_a_sealed_range_is_found(chain):
    """A number drawn by a transaction that rolled back is inside a seal's range and stays empty; an entry put
    there afterwards is found. (SQLite reuses a rolled-back number, so there the gap is made by hand.)"""
    gap = chain[-1].seq + 1
    if connection.vendor == "postgresql":
        with transaction.atomic():
            audit_record(actor=None, action=AuditAction.READ, object_id="rolled back")
            transaction.set_rollback(True)
        assert audit_record(actor=None, action=AuditAction.READ, object_id="y").seq == gap + 1
    else:
        after_gap = AuditEntry(seq=gap + 1, occurred_at=timezone.now(), action=AuditAction.READ, object_id="y")
        after_gap.digest = compute_hash(after_gap)
        after_gap.save(force_insert=True)
    (seal,) = audit_seal()
    assert (seal.first_seq, seal.last_seq, seal.entries) == (1, gap + 1, 6)
    assert verify_chain().ok
    forged = AuditEntry(seq=gap, occurred_at=chain[-1].occurred_at, action=AuditAction.READ, object_id="forged")
    forged.digest = compute_hash(forged)
    forged.save(force_insert=True)
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 1)
    assert "记录数为 7，封存时为 6" in report.reason


def test_rewritten_chain_without_the_key_fails_on_the_mac(sealed):
    """Edit an entry, recompute its digest and its seal's batch digest, and a MAC with a guessed key."""
    _disable_append_only_guard()
    entry = AuditEntry.objects.get(seq=sealed[0].seq)
    entry.purpose = "rewritten"
    _sql("UPDATE core_auditentry SET purpose = %s, digest = %s WHERE seq = %s",
         ["rewritten", compute_hash(entry), entry.seq])
    first = AuditSeal.objects.order_by("id").first()
    _rewrite_seal(first, key="guessed")
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, first.first_seq)
    assert "MAC 不符" in report.reason


def test_chain_resealed_with_another_key_is_found(sealed, settings):
    """Delete the seals, edit, and run the sealer with a key of one's own: the key is not the installation's."""
    _disable_append_only_guard()
    _sql("DELETE FROM core_auditseal")
    _sql("UPDATE core_auditentry SET object_id = 'x', digest = %s WHERE seq = %s",
         [compute_hash(AuditEntry.objects.get(seq=sealed[0].seq)), sealed[0].seq])
    real = settings.AUDIT_SEAL_KEY
    settings.AUDIT_SEAL_KEY = "attacker's key"
    audit_seal()
    settings.AUDIT_SEAL_KEY = real
    report = verify_chain()
    assert not report.ok and "未知密钥" in report.reason


def test_deleted_middle_seal_breaks_the_chain_of_seals(db):
    _append(6)
    seals = audit_seal(batch=2)
    _disable_append_only_guard()
    _sql("DELETE FROM core_auditseal WHERE id = %s", [seals[1].pk])
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, seals[2].first_seq)
    assert "未接上前一个封存" in report.reason


# --- The daily export and checking against it ----------------------------------------------------------------


def test_export_appends_one_line_per_run_and_never_rewrites_earlier_lines(sealed, settings):
    path = settings.AUDIT_SEAL_EXPORT_PATH
    first = audit_seal_export()
    assert first is not None and first.path == path
    before = path.read_text()
    _append(2)
    second = audit_seal_export()  # seals the two new entries first
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and path.read_text().startswith(before)
    latest = AuditSeal.objects.order_by("-id").first()
    record = json.loads(lines[1])
    assert record == second.record
    assert (record["seal"], record["first_seq"], record["last_seq"], record["mac"]) == (
        latest.pk, latest.first_seq, latest.last_seq, latest.mac)
    assert {"sealed_at", "exported_at", "key_id", "entries"} <= set(record)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="core.auditseal").count() == 2
    report = verify_chain(against=path)
    assert (report.ok, report.exports_checked) == (True, 2)


def test_export_with_nothing_sealed_writes_nothing(db, settings):
    assert audit_seal_export() is None
    assert not settings.AUDIT_SEAL_EXPORT_PATH.exists()


def test_chain_rebuilt_with_the_real_key_is_found_against_the_export(sealed, settings, capsys):
    """Someone with database access and the key itself rebuilds every seal over an edited log: the database alone
    verifies, but the seals the auditor was given before no longer match."""
    export = audit_seal_export()
    _disable_append_only_guard()
    _sql("DELETE FROM core_auditseal")
    entry = AuditEntry.objects.get(seq=sealed[1].seq)
    entry.object_id = "rewritten"
    _sql("UPDATE core_auditentry SET object_id = %s, digest = %s WHERE seq = %s",
         ["rewritten", compute_hash(entry), entry.seq])
    audit_seal()
    assert verify_chain().ok  # the limit of what the database alone can show
    report = verify_chain(against=export.path)
    assert not report.ok
    assert "审计员保存" in report.reason
    with pytest.raises(CommandError, match="审计员保存"):
        call_command("verify_audit", "--against", str(export.path))


def test_last_seal_deleted_is_found_against_the_export(sealed):
    export = audit_seal_export()
    _disable_append_only_guard()
    _sql("DELETE FROM core_auditseal WHERE id = %s", [export.record["seal"]])
    assert verify_chain().ok  # its entries merely look unsealed
    report = verify_chain(against=export.path)
    assert not report.ok and "已不存在" in report.reason


def test_verify_against_an_unreadable_or_garbled_export_fails_clearly(sealed, tmp_path):
    report = verify_chain(against=tmp_path / "missing.jsonl")
    assert not report.ok and "无法读取" in report.reason
    garbled = tmp_path / "garbled.jsonl"
    garbled.write_text("{not json\n")
    report = verify_chain(against=garbled)
    assert not report.ok and "第 1 行无法解析" in report.reason


def test_verify_command_against_the_export(sealed, capsys):
    export = audit_seal_export()
    call_command("verify_audit", "--against", str(export.path))
    assert "与导出文件中的 1 个封存一致" in capsys.readouterr().out


def test_audit_seal_command_seals_and_exports(chain, capsys, settings):
    call_command("audit_seal", "--export")
    out = capsys.readouterr().out
    assert "新封存 1 个" in out and "已导出" in out
    assert settings.AUDIT_SEAL_EXPORT_PATH.read_text().count("\n") == 1


# --- Entries of the old hash chain ----------------------------------------------------------------------------


def test_entries_of_the_old_hash_chain_verify_and_are_sealed(db):
    """Entries written before the seals keep their old chain hash as digest (it covered seq and prev_hash too)."""
    prev = GENESIS_HASH
    old = []
    for seq in (1, 2, 3):
        entry = AuditEntry(seq=seq, occurred_at=timezone.now(), action=AuditAction.READ, object_id=str(seq),
                           prev_hash=prev)
        entry.digest = compute_hash(entry)
        entry.save(force_insert=True)
        old.append(entry)
        prev = entry.digest
    if connection.vendor == "postgresql":  # as the migration does: the sequence continues after these numbers
        _sql("SELECT setval(pg_get_serial_sequence('core_auditentry', 'seq'), MAX(seq)) FROM core_auditentry")
    new = _append(1)
    assert verify_chain().ok
    (seal,) = audit_seal()
    assert (seal.first_seq, seal.last_seq, seal.entries) == (1, new[0].seq, 4)
    _disable_append_only_guard()
    _sql("UPDATE core_auditentry SET prev_hash = %s WHERE seq = 2", ["f" * 64])
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 2)


# --- PostgreSQL: no global lock, and a sealer never skips an entry that commits later -------------------------


def _in_thread(target, *args):
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(*args)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _hold_an_append(appended: threading.Event, release: threading.Event, outcome: str = "commit") -> None:
    """Transaction A: appends, then stays open until told, then commits or rolls back."""
    with transaction.atomic():
        audit_record(actor=None, action=AuditAction.READ, object_type="a", object_id="held")
        appended.set()
        assert release.wait(20)
        if outcome == "rollback":
            transaction.set_rollback(True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_open_transaction_that_appended_does_not_hold_up_another_append():
    """Before: every append locked the one chain-head row until its transaction ended, so B waited for A."""
    appended, release = threading.Event(), threading.Event()
    holder, holder_errors = _in_thread(_hold_an_append, appended, release)
    try:
        assert appended.wait(10)

        def other_append() -> None:
            with transaction.atomic():
                _sql("SET LOCAL lock_timeout = '2s'")  # on the old code: a lock-timeout error, not a hang
                audit_record(actor=None, action=AuditAction.READ, object_type="b", object_id="free")

        started = time.monotonic()
        other, other_errors = _in_thread(other_append)
        other.join(10)
        elapsed = time.monotonic() - started
        assert other_errors == []
        assert elapsed < 1.5
        assert AuditEntry.objects.filter(object_type="b").exists()  # committed while A is still open
    finally:
        release.set()
        holder.join(10)
    assert holder_errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_a_sealer_never_seals_past_an_append_that_may_still_commit(outcome):
    """A draws a number and stays open; B draws the next and commits. The sealer must not seal over A's number
    while A may still commit (it would land inside a sealed range); once A ends, one seal covers both (or, if A
    rolled back, the range goes over its unused number)."""
    _append(2, "before-")
    appended, release = threading.Event(), threading.Event()
    holder, holder_errors = _in_thread(_hold_an_append, appended, release, outcome)
    try:
        assert appended.wait(10)
        later = audit_record(actor=None, action=AuditAction.READ, object_type="b", object_id="after")
        assert audit_seal(wait_seconds=0.3) == []  # A is in flight below B: nothing is sealed, nothing skipped
        assert AuditSeal.objects.count() == 0

        sealed: list[AuditSeal] = []
        sealer, sealer_errors = _in_thread(lambda: sealed.extend(audit_seal(wait_seconds=10)))
        time.sleep(0.3)
        assert sealer.is_alive()  # waiting for A, not sealing past it
    finally:
        release.set()
        holder.join(10)
    sealer.join(15)
    assert holder_errors == [] and sealer_errors == []
    (seal,) = sealed
    assert seal.first_seq == 1 and seal.last_seq == later.seq
    assert seal.entries == (4 if outcome == "commit" else 3)
    report = verify_chain()
    assert report.ok, report
    assert report.unsealed == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_and_a_running_sealer_lose_nothing():
    threads, per_thread = 8, 25
    barrier = threading.Barrier(threads + 1)
    done = threading.Event()

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(per_thread):
            with transaction.atomic():
                audit_record(actor=None, action=AuditAction.READ, object_type="t", object_id=f"{n}-{i}")
                if i % 7 == 3:  # some actions roll back: their numbers are never used
                    transaction.set_rollback(True)

    def sealer() -> None:
        barrier.wait()
        while not done.is_set():
            audit_seal(batch=17)
            time.sleep(0.01)

    workers = [_in_thread(writer, n) for n in range(threads)]
    running_sealer = _in_thread(sealer)
    for thread, _ in workers:
        thread.join(60)
    done.set()
    running_sealer[0].join(30)
    assert all(errors == [] for _, errors in [*workers, running_sealer])
    audit_seal()
    expected = threads * (per_thread - len([i for i in range(per_thread) if i % 7 == 3]))
    assert AuditEntry.objects.count() == expected
    report = verify_chain()
    assert report.ok, report
    assert (report.checked, report.unsealed) == (expected, 0)
    assert sum(AuditSeal.objects.values_list("entries", flat=True)) == expected


class _Undo(Exception):
    pass


def _appends_lock_held() -> bool:
    from fayuan.core.audit import LOCK_APPENDS, LOCK_SPACE

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                       "AND classid = %s AND objid = %s AND objsubid = 2", [LOCK_SPACE, LOCK_APPENDS])
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_appends_lock_is_taken_once_per_transaction_and_again_after_its_savepoint_rolled_back():
    """A submit appends five entries: the first takes the shared lock the sealer looks for, and it is held to the
    end of the transaction, so the others need not ask again. A lock taken inside a savepoint that rolls back is
    gone (PostgreSQL releases it): the next append takes it again."""
    from django.test.utils import CaptureQueriesContext

    def lock_statements(queries: CaptureQueriesContext) -> int:
        return sum("pg_advisory_xact_lock_shared" in q["sql"] for q in queries.captured_queries)

    def append(name: str) -> None:
        audit_record(actor=None, action=AuditAction.READ, object_type="t", object_id=name)

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        append("one")
        append("two")
        try:
            with transaction.atomic():
                append("three")
                raise _Undo
        except _Undo:
            pass
        assert _appends_lock_held()  # taken before the savepoint: kept
        append("four")
    assert lock_statements(queries) == 1
    assert not _appends_lock_held()  # committed: released

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        try:
            with transaction.atomic():
                append("five")
                assert _appends_lock_held()
                raise _Undo
        except _Undo:
            pass
        assert not _appends_lock_held()
        append("six")
        assert _appends_lock_held()
    assert lock_statements(queries) == 2
    assert sorted(AuditEntry.objects.filter(object_type="t").values_list("object_id", flat=True)) == [
        "four", "one", "six", "two"]


def test_the_daily_check_also_compares_with_the_export_file_it_can_read(sealed):
    from fayuan.core.models import AuditVerification
    from fayuan.core.tasks import audit_seal_export_daily, audit_verify

    audit_verify.call()
    assert AuditVerification.objects.latest("id").exports_checked == 0  # no file yet
    audit_seal_export_daily.call()
    audit_verify.call()
    run = AuditVerification.objects.latest("id")
    assert (run.ok, run.exports_checked, run.sealed_through) == (True, 1, AuditSeal.objects.latest("id").last_seq)
