"""Backups of the files the rows name. ``deploy/backup/fayuan-media-backup.sh`` snapshots MEDIA_ROOT nightly (each
snapshot whole, unchanged files hard-linked to the previous one, the registry's clear-text imports left out);
``manage.py verify_uploads`` finds, after a restore, every file a row names with its recorded size and SHA-256,
and names the ones that did not come back."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from fayuan.cases.documents.render import document_file
from fayuan.cases.models import Document, DocumentKind
from fayuan.cases.services.files import case_file_add
from fayuan.cases.tests.conftest import granted
from fayuan.cases.tests.views_support import png
from fayuan.core.uploads import TRANSIENT_UPLOAD_DIRS, verify_uploads

SCRIPT = Path(settings.BASE_DIR) / "deploy" / "backup" / "fayuan-media-backup.sh"


def _backup(media: Path, backups: Path, keep: int = 14) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups), "KEEP": str(keep)}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,  # noqa: S603,S607
                          timeout=120, check=False)


def _snapshots(backups: Path) -> list[Path]:
    return sorted(p for p in backups.glob("media-*") if p.is_dir())


def _next_second() -> None:
    """Snapshots are named to the second: the next one must not share the name. The script reads the real clock,
    so this does too (a suite run with its clock moved, ``FAYUAN_TEST_CLOCK``, does not move the script's)."""
    real = time_machine.escape_hatch.time.time() if time_machine.escape_hatch.is_travelling() else time.time()
    time.sleep(1.05 - real % 1)


def _verify(**options: Any) -> str:
    out = io.StringIO()
    call_command("verify_uploads", stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return Path(settings.MEDIA_ROOT)


def test_a_restored_snapshot_holds_every_file_the_rows_name(city: Any, media: Path, tmp_path: Path) -> None:
    reviewer = city.user("reviewer_a")
    case = granted(city)
    first = case_file_add(actor=reviewer, case=case, kind="other", upload=png("身份证.png"))
    document = Document.objects.get(case=case, kind=DocumentKind.GRANT_DECISION)  # issued with the decision
    document_file(document)  # the PDF rendered and stored
    in_flight = media / "registry" / "2026" / "12" / "import.csv"  # an agency's import, ID numbers in clear
    in_flight.parent.mkdir(parents=True)
    in_flight.write_text("320102199001011234,张三\n", encoding="utf-8")
    backups = tmp_path / "backups"

    done = _backup(media, backups)
    assert done.returncode == 0, done.stderr
    assert "media backup:" in done.stdout
    _next_second()
    second = case_file_add(actor=reviewer, case=case, kind="other", upload=png("判决书.png"))
    done = _backup(media, backups)
    assert done.returncode == 0, done.stderr
    older, newer = _snapshots(backups)

    # Each snapshot is whole; the file both hold is one file on disk (linked, not copied); the clear-text import is
    # in neither.
    assert (newer / second.file.name).is_file() and not (older / second.file.name).exists()
    assert (older / first.file.name).stat().st_ino == (newer / first.file.name).stat().st_ino
    assert (newer / document.file.name).read_bytes()[:5] == b"%PDF-"
    assert not list(backups.rglob("import.csv"))
    assert "1 new files copied" in done.stdout
    assert not [p for p in backups.iterdir() if p.name.startswith(".")]  # no partial snapshot left behind

    # The host is lost: the files come back from the newest snapshot, as the runbook says.
    shutil.rmtree(media)
    media.mkdir()
    subprocess.run(["cp", "-a", f"{newer}/.", str(media)], check=True)  # noqa: S603,S607
    out = _verify(hashes=True)
    assert "文件完整：已校验 3 个文件的存在与大小与 SHA-256" in out, out

    # A file that did not come back is named, and the check fails.
    (media / second.file.name).unlink()
    with pytest.raises(CommandError, match="缺失 1 个"):
        _verify()
    # A file changed in place (same size) is caught by its SHA-256, only when asked to read the files.
    (media / second.file.name).write_bytes((newer / second.file.name).read_bytes())
    content = bytearray((media / first.file.name).read_bytes())
    content[-1] ^= 0xFF
    (media / first.file.name).write_bytes(bytes(content))
    assert "文件完整" in _verify()
    with pytest.raises(CommandError, match="SHA-256 不符 1 个"):
        _verify(hashes=True)
    # A document's PDF that did not come back is rendered again on first use: reported, not a failure.
    (media / first.file.name).write_bytes((newer / first.file.name).read_bytes())
    (media / document.file.name).unlink()
    out = _verify(hashes=True)
    assert "1 个文书文件不在，首次打开时将按记录重新生成" in out and "文件完整" in out, out
    # A snapshot can be checked where it lies.
    assert verify_uploads(media_root=newer, hashes=True).ok


def test_old_snapshots_beyond_keep_are_removed_and_bad_settings_change_nothing(media: Path, tmp_path: Path) -> None:
    (media / "case_files").mkdir()
    (media / "case_files" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    backups = tmp_path / "backups"
    for _ in range(3):
        assert _backup(media, backups, keep=2).returncode == 0
        _next_second()
    assert len(_snapshots(backups)) == 2

    for bad in ({"KEEP": "0"}, {"KEEP": "x"}, {"MEDIA_ROOT": str(tmp_path / "nowhere")}):
        env = {**os.environ, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "other"), **bad}
        done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,  # noqa: S603,S607
                              timeout=60, check=False)
        assert done.returncode == 2 and done.stderr
        assert not (tmp_path / "other").exists()


def test_the_script_leaves_out_exactly_the_transient_upload_directories() -> None:
    excluded = set(re.findall(r"--exclude=/([\w-]+)/", SCRIPT.read_text(encoding="utf-8")))
    assert excluded == set(TRANSIENT_UPLOAD_DIRS)
