"""Real servers for the benches: a private PostgreSQL instance and gunicorn serving the app on loopback.

    with PrivatePostgres.create() as pg:                 # initdb in a temporary folder, its own port
        url = pg.create_database("fayuan_bench")
        env = app_env(database_url=url, media_root=folder / "media")
        django_setup(env)                                # this process talks to the same database
        prepare(persons=20)                              # migrate + a small demo city (seed_demo)
        with AppServer(env, workers=4) as app:           # gunicorn config.wsgi on a free port
            app.wait_ready()
            ...                                          # drive http://127.0.0.1:<app.port>/
            app.kill()                                   # SIGKILL the master and every worker
            app.start()

The PostgreSQL instance is private so that a bench may stop, restart or kill it without touching the cluster
other people's tests run on. As root, the instance runs as the ``postgres`` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_VERSIONS = Path("/usr/lib/postgresql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Any, *, timeout: float, interval: float = 0.1, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"gave up waiting for {what or check} after {timeout:.0f} s")


def pg_bin_dir() -> Path:
    """The newest installed server binaries (Debian keeps them out of PATH)."""
    found = sorted((p for p in PG_VERSIONS.glob("*/bin") if (p / "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not found:
        raise SystemExit("找不到 PostgreSQL 服务器程序（/usr/lib/postgresql/<版本>/bin/initdb）。")
    return found[-1]


class PrivatePostgres:
    """One throwaway PostgreSQL cluster: ``initdb`` into a temporary folder, listening on 127.0.0.1:<port>."""

    def __init__(self, folder: Path, port: int, bin_dir: Path, user: str | None) -> None:
        self.folder, self.port, self.bin_dir, self.user = folder, port, bin_dir, user
        self.data = folder / "data"
        self.log = folder / "postgres.log"

    @classmethod
    def create(cls, *, port: int | None = None) -> PrivatePostgres:
        bin_dir = pg_bin_dir()
        user = "postgres" if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="fayuan-pg-"))
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        pg = cls(folder, port or free_port(), bin_dir, user)
        try:
            pg._run("initdb", "-D", str(pg.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8")
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise SystemExit(f"initdb 失败：{exc.stderr or exc.stdout}") from None
        # Small and quick to restart; the socket stays in our folder, away from the system cluster's.
        settings = (f"port = {pg.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
                    "max_connections = 100\nshared_buffers = 64MB\nfsync = on\nlog_min_messages = warning\n")
        with open(pg.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(settings)
        pg.start()
        return pg

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / program), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, cwd=self.folder)  # noqa: S603

    def _ctl(self, *args: str) -> None:
        result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", *args, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stderr or result.stdout}\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        return ""

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session at once (what a restart by an operator or a failover looks like)."""
        self._ctl("stop", "-m", mode)

    def restart(self, *, outage: float = 0.0) -> float:
        """Stop, stay down ``outage`` seconds, start again; returns the seconds the database was unreachable."""
        began = time.monotonic()
        self.stop()
        time.sleep(outage)
        self.start()
        return time.monotonic() - began

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PrivatePostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def app_env(*, database_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    """The environment of the app under test: development profile with DEBUG off (no manifest static files to
    build, no HTTPS redirect), the given database and upload folder, quiet logs."""
    env = {
        "FAYUAN_ENV": "development", "DEBUG": "0", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def django_setup(env: Mapping[str, str]) -> None:
    """Configure Django in this process against the app's database (for setting up and for checking results)."""
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(*, persons: int = 20) -> None:
    """Migrate, then a small demo city (offices, accounts, ``persons`` people, no history) through seed_demo."""
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", persons=persons, cases=0, consultations=0, stdout=StringIO())


class AppServer:
    """gunicorn ``config.wsgi`` on 127.0.0.1:<port>, in its own process group so that one signal reaches the
    master and every worker."""

    def __init__(self, env: Mapping[str, str], *, workers: int = 4, port: int | None = None,
                 log: Path | None = None, timeout: int = 60, preload: bool = True,
                 wsgi: str = "config.wsgi") -> None:
        self.env = {**os.environ, **env}
        self.wsgi = wsgi  # bench/baseline serves bench.baseline.wsgi through the same class
        self.workers, self.port, self.timeout, self.preload = workers, port or free_port(), timeout, preload
        if log is None:
            fd, name = tempfile.mkstemp(prefix="fayuan-gunicorn-", suffix=".log")
            os.close(fd)
            log = Path(name)
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", self.wsgi, "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--timeout", str(self.timeout), "--graceful-timeout", "5",
                   "--log-level", "warning"]
        if self.preload:  # Django imported once in the master, then forked: a restart is ready in seconds
            command.append("--preload")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,  # noqa: S603
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1

    def ready(self) -> bool:
        """Answering at all: /healthz says 200, or 503 while the database is away (a server without /healthz,
        such as the baseline, answers 404: that is answering too)."""
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=2):  # noqa: S310 (loopback)
                return True
        except urllib.error.HTTPError as exc:
            return exc.code in (503, 404) if self.wsgi != "config.wsgi" else exc.code == 503
        except OSError:
            return False

    def wait_ready(self, timeout: float = 60) -> float:
        began = time.monotonic()
        wait_for(self.ready, timeout=timeout, interval=0.1, what=f"gunicorn on port {self.port}")
        return time.monotonic() - began

    def kill(self) -> None:
        """SIGKILL to the whole group: the master gets no chance to reap, the workers none to finish a request."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._wait_group_gone(self.process.pid)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._wait_group_gone(self.process.pid)
        self.process = None

    @staticmethod
    def _wait_group_gone(pgid: int) -> None:
        def gone() -> bool:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return True
            return False

        with contextlib.suppress(TimeoutError):
            wait_for(gone, timeout=10, interval=0.05, what="the workers to exit")

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        return ""

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


@contextlib.contextmanager
def tmpfs(size: str) -> Iterator[Path | None]:
    """A small tmpfs mounted on a temporary folder (root only); yields None where mounting is not allowed."""
    folder = Path(tempfile.mkdtemp(prefix="fayuan-tmpfs-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],  # noqa: S603,S607
                             capture_output=True, check=False).returncode == 0
    try:
        yield folder if mounted else None
    finally:
        unmounted = not mounted or subprocess.run(["umount", str(folder)],  # noqa: S603,S607
                                                  capture_output=True, check=False).returncode == 0
        if not unmounted:  # still busy: detach now, freed when the last file closes
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)  # noqa: S603,S607
        shutil.rmtree(folder, ignore_errors=True)
