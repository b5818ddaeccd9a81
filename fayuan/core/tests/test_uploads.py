"""Files stored inside a transaction go when the transaction (or the savepoint around them) rolls back, and stay
when it commits; ``purge_orphan_uploads`` removes what a crashed process left behind."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction

from fayuan.core.uploads import delete_on_rollback, purge_orphan_uploads, sweep_rolled_back


class Boom(Exception):
    pass


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path)


def _save(storage, name):
    saved = storage.save(name, ContentFile(b"x"))
    delete_on_rollback(storage, saved)
    return saved


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_file_stays_and_a_rolled_back_one_goes(storage):
    with transaction.atomic():
        kept = _save(storage, "kept.png")
    with pytest.raises(Boom), transaction.atomic():
        gone = _save(storage, "gone.png")
        raise Boom
    sweep_rolled_back()
    assert storage.exists(kept) and not storage.exists(gone)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_savepoint_inside_a_committed_transaction_loses_its_file(storage):
    with transaction.atomic():
        kept = _save(storage, "kept.png")
        try:
            with transaction.atomic():
                gone = _save(storage, "gone.png")
                raise Boom
        except Boom:
            pass
    sweep_rolled_back()
    assert storage.exists(kept) and not storage.exists(gone)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_waits_while_the_transaction_is_open(storage):
    with transaction.atomic():
        name = _save(storage, "open.png")
        assert sweep_rolled_back() == 0
        assert storage.exists(name)
    assert storage.exists(name)


def _age(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_purge_removes_old_unreferenced_files_only(city, settings, tmp_path):
    from fayuan.cases.services.files import case_file_add
    from fayuan.cases.tests.conftest import receive
    from fayuan.cases.tests.views_support import png

    settings.MEDIA_ROOT = tmp_path
    case = receive(city)
    record = case_file_add(actor=city.user("reviewer_a"), case=case, kind="id_document", upload=png())
    referenced = tmp_path / record.file.name
    orphan_old = tmp_path / "case_files" / "2026" / "01" / "orphan.png"
    orphan_new = tmp_path / "portal_drafts" / "2026" / "01" / "in-flight.png"
    elsewhere = tmp_path / "other" / "keep.txt"
    for path in (orphan_old, orphan_new, elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (referenced, orphan_old, elsewhere):
        _age(path, 2)
    _age(orphan_new, 0)  # just written, by the clock the purge reads (not the file system's, if a test moved it)
    removed = purge_orphan_uploads(older_than=dt.timedelta(hours=1))
    assert removed == ["case_files/2026/01/orphan.png"]
    assert referenced.exists() and orphan_new.exists() and elsewhere.exists() and not orphan_old.exists()
    _age(orphan_new, 2)
    call_command("purge_orphan_uploads")
    assert not orphan_new.exists() and referenced.exists()
