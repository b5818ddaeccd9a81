"""A write that fails halfway (the disk fills up) leaves no stub behind, and a full disk is ``StorageFull`` (a 503
with a Chinese message), whichever way Django writes the upload: streamed from memory or moved from a temporary
file."""

from __future__ import annotations

import errno
import os
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import TemporaryUploadedFile

from fayuan.core.errors import StorageFull
from fayuan.core.storage import UploadStorage


class FillsUp:
    """A file object that takes the first few bytes and then finds the disk full (or failing)."""

    def __init__(self, real, error: int):  # type: ignore[no-untyped-def]
        self.real, self.error = real, error

    def write(self, data):  # type: ignore[no-untyped-def]
        self.real.write(data[:8])
        self.real.flush()
        raise OSError(self.error, os.strerror(self.error))

    def close(self) -> None:
        self.real.close()


def disk_fills_up(error: int = errno.ENOSPC):  # type: ignore[no-untyped-def]
    real_fdopen = os.fdopen
    return mock.patch("django.core.files.storage.filesystem.os.fdopen",
                      lambda fd, mode, *a, **k: FillsUp(real_fdopen(fd, mode, *a, **k), error))


def stored(root) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_a_full_disk_is_storage_full_and_leaves_no_stub(tmp_path, error):
    storage = UploadStorage(location=tmp_path)
    with disk_fills_up(error), pytest.raises(StorageFull) as caught:
        storage.save("case_files/2026/03/a.pdf", ContentFile(b"%PDF-1.7 " + b"x" * 100_000))
    assert "存储空间不足" in caught.value.message and caught.value.http_status == 503
    assert stored(tmp_path) == []


def test_another_write_error_stays_itself_but_leaves_no_stub_either(tmp_path):
    storage = UploadStorage(location=tmp_path)
    with disk_fills_up(errno.EIO), pytest.raises(OSError) as caught:
        storage.save("case_files/a.pdf", ContentFile(b"%PDF-1.7 " + b"x" * 1000))
    assert not isinstance(caught.value, StorageFull) and caught.value.errno == errno.EIO
    assert stored(tmp_path) == []


def test_a_large_upload_moved_from_its_temporary_file_leaves_no_stub(tmp_path):
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive in a temporary file that Django moves (or, across file
    # systems, copies) into place: the copy is where the disk fills up.
    def copy_until_full(source, destination, **kwargs):  # type: ignore[no-untyped-def]
        with open(destination, "wb") as out:
            out.write(b"%PDF-1.7 partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    storage = UploadStorage(location=tmp_path / "media")
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 3_000_000, None)
    upload.write(b"%PDF-1.7 " + b"x" * 1000)
    upload.seek(0)
    with mock.patch("django.core.files.storage.filesystem.file_move_safe", copy_until_full), \
            pytest.raises(StorageFull):
        storage.save("case_files/big.pdf", upload)
    upload.close()
    assert stored(tmp_path / "media") == []


def test_an_existing_file_is_never_removed_for_a_failed_write(tmp_path):
    storage = UploadStorage(location=tmp_path)
    (tmp_path / "kept.pdf").write_bytes(b"%PDF-1.7 kept")
    with disk_fills_up(), pytest.raises(StorageFull):
        storage.save("kept.pdf", ContentFile(b"%PDF-1.7 new"))  # saved under a new free name, which fails
    assert stored(tmp_path) == ["kept.pdf"]


def test_the_upload_storage_is_the_default():
    assert isinstance(storages["default"], UploadStorage)
