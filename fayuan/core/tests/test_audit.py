import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from fayuan.core.audit import audit_record, verify_chain
from fayuan.core.models import AuditAction, AuditEntry


def _disable_append_only_guard() -> None:
    """Simulate an attacker with direct database access who switches the guard off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the ALTER
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")


@pytest.fixture
def chain(db):
    return [audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id=str(i)) for i in range(5)]


def test_entries_link_to_their_predecessor(chain):
    assert chain[0].prev_hash == "0" * 64
    for prev, entry in itertools.pairwise(chain):
        assert entry.prev_hash == prev.entry_hash
        assert entry.seq == prev.seq + 1
    assert verify_chain().ok


def test_verify_command_reports_intact_chain(chain, capsys):
    call_command("verify_audit")
    assert "已校验 5 条" in capsys.readouterr().out


def test_database_refuses_update_and_delete(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=2).update(purpose="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=5).delete()


def test_edited_row_breaks_verification_at_that_row(chain):
    _disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_id = %s WHERE seq = 3", ["tampered"])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.checked == 2
    with pytest.raises(CommandError, match="第 3 条"):
        call_command("verify_audit")


def test_deleted_middle_row_is_detected(chain):
    _disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 2")
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_deleted_last_row_is_detected_through_the_head(chain):
    _disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 5")
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 5


def test_rewritten_hashes_do_not_hide_an_edit(chain):
    """Recomputing the edited row's own hash still breaks the next link."""
    _disable_append_only_guard()
    entry = AuditEntry.objects.get(seq=2)
    entry.object_id = "tampered"
    from fayuan.core.audit import compute_hash

    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_id = %s, entry_hash = %s WHERE seq = 2",
                       ["tampered", compute_hash(entry)])
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 3)


def test_action_rolled_back_leaves_no_audit_entry(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action=AuditAction.CREATE, object_type="x", object_id="1")
        raise RuntimeError
    assert AuditEntry.objects.count() == 0
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_cannot_fork_the_chain():
    threads, per_thread = 8, 25
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                audit_record(actor=None, action=AuditAction.READ, object_type="t", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert AuditEntry.objects.count() == threads * per_thread
    report = verify_chain()
    assert report.ok, report
    assert report.checked == threads * per_thread
