import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
SECRETS = ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "AUDIT_SEAL_KEY",
           "AUDIT_SEAL_EXPORT_PATH"]


def _django_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {*SECRETS, "DEBUG"}}
    env.update(env_overrides)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", code],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, capture_output=True, text=True,
        timeout=60, check=False,
    )


@pytest.mark.parametrize("missing", SECRETS)
def test_production_refuses_to_start_without_each_secret(missing, tmp_path):
    env = {"FAYUAN_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org",
           "FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=", "FIELD_HASH_KEY": "k",
           "AUDIT_SEAL_KEY": "s", "AUDIT_SEAL_EXPORT_PATH": str(tmp_path / "seals.jsonl"),
           "SQLITE_PATH": str(tmp_path / "db.sqlite3"), "STATIC_ROOT": str(tmp_path / "static")}
    del env[missing]
    result = _django_check(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_runs_with_debug_off_when_configured(tmp_path):
    result = _django_check({"FAYUAN_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org",
                            "FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=",
                            "FIELD_HASH_KEY": "k", "AUDIT_SEAL_KEY": "s",
                            "AUDIT_SEAL_EXPORT_PATH": str(tmp_path / "seals.jsonl"),
                            "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
                            "STATIC_ROOT": str(tmp_path / "static")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_healthz_answers_200_with_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_fails(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", broken)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_root_is_the_public_site(client, db):
    response = client.get("/")
    assert response.status_code == 200 and "12348" in response.content.decode()
