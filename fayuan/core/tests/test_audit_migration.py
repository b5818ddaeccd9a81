"""The entries of the old hash chain survive the move to numbered, sealed entries: same numbers, their chain hash
as digest, the sequence continuing after them, the append-only guard in place, and the first seal covering them."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from fayuan.core.audit import GENESIS_HASH, audit_record, audit_seal, verify_chain
from fayuan.core.models import AuditAction, AuditEntry

BEFORE = [("core", "0003_background_tasks")]
AFTER = [("core", "0005_audit_seals_lock_free_append")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _old_chain(n: int) -> list[tuple[int, str]]:
    """Appends as the old code did: seq from the head, hash over the fields, seq and the previous hash."""
    import hashlib
    import json

    prev, rows = GENESIS_HASH, []
    occurred = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    with connection.cursor() as cursor:
        for seq in range(1, n + 1):
            fields = [seq, occurred.isoformat(timespec="microseconds"), None, "", "", "read", "x", str(seq), {}, "",
                      None, prev]
            digest = hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False,
                                               separators=(",", ":")).encode()).hexdigest()
            cursor.execute(
                "INSERT INTO core_auditentry (seq, occurred_at, actor_username, actor_role, action, object_type,"
                " object_id, detail, purpose, ip_address, prev_hash, entry_hash)"
                " VALUES (%s, %s, '', '', 'read', 'x', %s, '{}', '', NULL, %s, %s)",
                [seq, occurred, str(seq), prev, digest])
            rows.append((seq, digest))
            prev = digest
        cursor.execute("INSERT INTO core_audithead (id, seq, entry_hash) VALUES (1, %s, %s)", [n, prev])
    return rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("latest_migrations_after")
def test_old_entries_migrate_keep_their_numbers_verify_and_are_sealed():
    _migrate(BEFORE)
    try:
        old = _old_chain(4)
    finally:
        _migrate(AFTER)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "digest")) == old
    assert verify_chain().ok
    new = audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id="new")
    assert new.seq == 5  # the sequence continues after the old numbers
    (seal,) = audit_seal()
    assert (seal.first_seq, seal.last_seq, seal.entries) == (1, 5, 5)
    report = verify_chain()
    assert (report.ok, report.checked, report.unsealed) == (True, 5, 0)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).update(object_id="tampered")
