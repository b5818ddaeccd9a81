"""Stored files follow the transaction that stored them, and orphans left by a crash are purged.

Django has ``on_commit`` but no ``on_rollback``. A service that stores a file inside a transaction calls
``delete_on_rollback(storage, name)``: the name goes on a per-connection list, with an ``on_commit`` callback that
marks it kept. Django drops the callbacks registered inside a savepoint or transaction that rolls back (it keeps
them in ``connection.run_on_commit`` until then), so an entry whose callback is neither run nor still pending
belongs to rolled-back work, whatever the nesting. ``sweep_rolled_back`` deletes those files and leaves undecided
ones; it runs when each request finishes (``CoreConfig.ready``) and may be called by any other top-level caller.
A process that
dies between the save and the sweep leaves a file no row references: ``purge_orphan_uploads`` (a daily job and a
command) removes such files under the upload directories once they are an hour old, so uploads in flight survive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)
PENDING_ATTR = "_fayuan_pending_uploads"
ORPHAN_AGE = dt.timedelta(hours=1)


@dataclass(eq=False)
class _Pending:
    storage: Storage
    name: str
    kept: bool = False

    def __call__(self) -> None:  # the on_commit callback: the transaction that stored the file committed
        self.kept = True


def _pending(connection: BaseDatabaseWrapper) -> list[_Pending]:
    entries: list[_Pending] | None = getattr(connection, PENDING_ATTR, None)
    if entries is None:
        entries = []
        setattr(connection, PENDING_ATTR, entries)
    return entries


def delete_on_rollback(storage: Storage, name: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the stored file ``name`` unless the current transaction (and every savepoint around here) commits."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return  # autocommit: nothing can roll back after the caller's own write
    sweep_rolled_back(using=using)  # settles earlier entries, so a process that serves no requests stays bounded
    entry = _Pending(storage, name)
    _pending(connection).append(entry)
    transaction.on_commit(entry, using=using)


def sweep_rolled_back(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Delete the files of rolled-back work; files whose transaction is still open wait for the next sweep."""
    connection = transaction.get_connection(using)
    entries: list[_Pending] = getattr(connection, PENDING_ATTR, None) or []
    if not entries:
        return 0
    waiting = {id(func) for _, func, *_ in connection.run_on_commit}
    undecided = [e for e in entries if not e.kept and id(e) in waiting]
    setattr(connection, PENDING_ATTR, undecided)
    removed = 0
    for entry in entries:
        if not entry.kept and id(entry) not in waiting:
            entry.storage.delete(entry.name)
            removed += 1
    return removed


def sweep_after_request(**kwargs: Any) -> None:
    sweep_rolled_back()


def _upload_fields() -> list[tuple[type[models.Model], str, str]]:
    """(model, field name, fixed directory) of every FileField whose ``upload_to`` starts with a fixed directory."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.upload_to, str):
                directory = field.upload_to.split("%", 1)[0].strip("/")
                if directory:
                    found.append((model, field.name, directory))
    return found


def purge_orphan_uploads(*, older_than: dt.timedelta = ORPHAN_AGE, dry_run: bool = False) -> list[str]:
    """Delete files under the upload directories that no row references and that are older than ``older_than``."""
    root = Path(settings.MEDIA_ROOT)
    fields = _upload_fields()
    referenced: set[str] = set()
    for model, field_name, _ in fields:
        referenced.update(model._default_manager.exclude(**{field_name: ""}).values_list(field_name, flat=True))
    cutoff = dt.datetime.now(tz=dt.UTC).timestamp() - older_than.total_seconds()
    removed: list[str] = []
    for directory in sorted({d for _, _, d in fields}):
        for path in sorted((root / directory).rglob("*")):
            name = path.relative_to(root).as_posix()
            if not path.is_file() or name in referenced or path.stat().st_mtime > cutoff:
                continue
            # Re-checked just before deleting: a row may have been written since the set was read.
            if any(m._default_manager.filter(**{f: name}).exists() for m, f, d in fields if name.startswith(d + "/")):
                continue
            if not dry_run:
                os.remove(path)
            removed.append(name)
    if removed:
        logger.info("purged %d orphan upload(s)", len(removed))
    return removed


@dataclass
class UploadCheck:
    """What ``verify_uploads`` found: every stored file a row names, per table, and the ones that are not right."""

    checked: dict[str, int]  # table label → files checked
    missing: list[str]  # "table #pk: name"
    wrong_size: list[str]
    wrong_digest: list[str]
    # Missing files of a model that rebuilds them from its data on first use (``FILE_REBUILT_WHEN_MISSING``, the
    # official documents): not lost, only slower to open the first time.
    rebuilt: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_size or self.wrong_digest)

    @property
    def total(self) -> int:
        return sum(self.checked.values())


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# Upload directories whose files live only while a job runs and are left out of the backups
# (deploy/backup/fayuan-media-backup.sh): an agency's registry import lists ID numbers in clear and is deleted when
# its import ends.
TRANSIENT_UPLOAD_DIRS = ("registry",)


def verify_uploads(*, media_root: Path | None = None, hashes: bool = False) -> UploadCheck:
    """Every file a row names is under ``media_root`` (default MEDIA_ROOT), of the size the row recorded, and (with
    ``hashes``) of the SHA-256 it recorded. Run after a restore: the database's dump and the files' snapshot are
    taken apart (deploy/backup), and a row whose file did not come back is a document the center no longer has.
    The transient directories are not checked: their files are not in the backups by design."""
    root = Path(media_root or settings.MEDIA_ROOT)
    result = UploadCheck({}, [], [], [])
    for model, field_name, directory in _upload_fields():
        if directory.split("/", 1)[0] in TRANSIENT_UPLOAD_DIRS:
            continue
        own = {f.name for f in model._meta.get_fields()}
        columns = ["pk", field_name] + [c for c in ("size", "sha256") if c in own]
        label = f"{model._meta.app_label}.{model.__name__}"
        rebuilds = bool(getattr(model, "FILE_REBUILT_WHEN_MISSING", False))
        rows = model._default_manager.exclude(**{field_name: ""}).order_by("pk").values_list(*columns)
        checked = 0
        for row in rows.iterator(chunk_size=2000):
            pk, name = row[0], row[1]
            recorded = dict(zip(columns[2:], row[2:], strict=True))
            where = f"{label} #{pk}: {name}"
            path = root / name
            checked += 1
            if not path.is_file():
                (result.rebuilt if rebuilds else result.missing).append(where)
                continue
            if recorded.get("size") and path.stat().st_size != recorded["size"]:
                result.wrong_size.append(where)
            elif hashes and recorded.get("sha256") and _file_sha256(path) != recorded["sha256"]:
                result.wrong_digest.append(where)
        result.checked[label] = checked
    return result
