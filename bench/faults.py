"""Fault injection through a real server: gunicorn serving the app on a private PostgreSQL instance.

    python -m bench faults [--submissions 1000] [--kills 3] [--only kill,postgres,disk]    # make bench-faults

1. kill:     SIGKILL gunicorn (master and workers) several times during a burst of API submissions whose client
             retries each one with its Idempotency-Key until it has an answer → exactly one application per key.
2. postgres: stop and restart PostgreSQL under load (API writes and reads, an office page) → clean 503s with
             Retry-After (JSON for the API, a Chinese page for the office), no 500s, every retried write lands once.
3. disk:     uploads onto a full disk (a tiny tmpfs as MEDIA_ROOT) → a clear Chinese 503, no row and no partial
             file; with room again the same upload is stored.

The PostgreSQL instance is the bench's own (initdb in a temporary folder): restarting it touches nobody else's
tests. Each scenario prints a table and fails (exit status 1) when a check does not hold; the tables also go to
bench/results/faults-<UTC date>.md (not committed). What each scenario proves: docs/fault-injection.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .server import ROOT, AppServer, PrivatePostgres, app_env, django_setup, prepare, tmpfs

RESULTS = ROOT / "bench" / "results"
GIVE_UP_SECONDS = 300  # per request: an answer that has not come by then is counted as lost
CSRF = secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret in cookie and form alike


# --- HTTP ------------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30) -> Answer:
    """One request on a fresh connection (a killed server leaves no stale keep-alive behind)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


NETWORK_ERRORS = (OSError, http.client.HTTPException)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "fayuan" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- Bookkeeping -----------------------------------------------------------------------------------------------

@dataclass
class Tally:
    """Thread-safe counts of what the clients saw."""

    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, n: int = 1, sample: str | None = None) -> None:
        with self.lock:
            self.counts[key] += n
            if sample is not None and key not in self.samples:
                self.samples[key] = sample[:300]

    def __getitem__(self, key: str) -> int:
        return self.counts[key]


@dataclass
class Scenario:
    name: str
    rows: list[tuple[str, str]]
    checks: list[tuple[str, bool]]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(passed for _, passed in self.checks)

    def markdown(self) -> str:
        lines = [f"### {self.name}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self.rows]
        lines += ["", *[f"- {'✔' if passed else '✘ FAILED'} {text}" for text, passed in self.checks]]
        lines += [f"- note: {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


class Submitter:
    """Creates applications through ``POST /api/v1/cases``, each with its own Idempotency-Key, and retries every
    one (same key, same body) until it gets a definite answer: 201, or a 4xx refusal."""

    def __init__(self, port: int, token: str, applicants: list[str], tag: str, tally: Tally,
                 honour_retry_after: float = 5.0, impatient_every: int = 0, use_key: bool = True) -> None:
        self.port, self.token, self.applicants, self.tag, self.tally = port, token, applicants, tag, tally
        self.honour_retry_after = honour_retry_after
        # Every n-th submission gives up on its first answer after 0.1 s, as a client behind a flaky network
        # would: the server still commits, so the retry must get the stored answer, not a second application.
        self.impatient_every = impatient_every
        self.use_key = use_key  # off only to watch the checks catch the doubles a retry without a key makes
        self.done = 0
        self.done_lock = threading.Lock()
        self.abort = threading.Event()  # the fault could not be undone (server or database did not come back)
        self.created: dict[int, str] = {}  # index -> public_id answered
        self.refused: dict[int, str] = {}
        self.keys: dict[int, str] = {}

    def summary(self, i: int) -> str:
        return f"{self.tag}-{i:05d}"

    def body(self, i: int) -> bytes:
        return json.dumps({
            "applicant_id": self.applicants[i % len(self.applicants)], "case_type": "civil", "matter": "wages",
            "matter_summary": self.summary(i), "household_size": 3, "household_monthly_income": "3000.00",
        }).encode()

    def submit(self, i: int) -> None:
        key = self.keys.setdefault(i, str(uuid.uuid4()))
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if self.use_key:
            headers["Idempotency-Key"] = key
        body, began, attempt = self.body(i), time.monotonic(), 0
        while time.monotonic() - began < GIVE_UP_SECONDS and not self.abort.is_set():
            attempt += 1
            self.tally.add("requests")
            if attempt > 1:
                self.tally.add("retries")
            impatient = attempt == 1 and self.impatient_every > 0 and i % self.impatient_every == 0
            try:
                answer = call(self.port, "POST", "/api/v1/cases", body=body, headers=headers,
                              timeout=0.1 if impatient else 30)
            except TimeoutError:
                self.tally.add("client timeouts")
                continue
            except NETWORK_ERRORS as exc:
                self.tally.add("connection errors", sample=repr(exc))
                time.sleep(min(0.1 * attempt, 1.0))
                continue
            if answer.status == 201:
                if answer.headers.get("idempotent-replayed") == "true":
                    self.tally.add("replayed answers")
                self.created[i] = answer.json()["public_id"]
                break
            if answer.status == 503:
                self.tally.add("503")
                check_api_503(answer, self.tally)
                time.sleep(min(float(answer.headers.get("retry-after", "1")), self.honour_retry_after))
                continue
            if answer.status >= 500:
                self.tally.add("500" if answer.status == 500 else f"{answer.status}", sample=answer.body.decode(
                    errors="replace"))
                time.sleep(min(0.1 * attempt, 1.0))
                continue
            self.refused[i] = f"{answer.status} {answer.body.decode(errors='replace')[:200]}"
            self.tally.add(f"refused {answer.status}", sample=self.refused[i])
            break
        with self.done_lock:
            self.done += 1


def check_api_503(answer: Answer, tally: Tally) -> None:
    """A 503 from the API must be the one JSON error shape with a Chinese message and Retry-After."""
    try:
        body = answer.json()
        good = (isinstance(body.get("detail"), str) and any("\u4e00" <= c <= "\u9fff" for c in body["detail"])
                and "retry-after" in answer.headers and answer.headers.get("content-type", "").startswith(
                    "application/json"))
    except ValueError:
        good = False
    if not good:
        tally.add("malformed 503", sample=answer.body.decode(errors="replace"))


def check_html_503(answer: Answer, tally: Tally) -> None:
    text = answer.body.decode(errors="replace")
    if not (answer.headers.get("content-type", "").startswith("text/html") and "请稍后重试" in text
            and "retry-after" in answer.headers and "Traceback" not in text):
        tally.add("malformed 503", sample=text)


def verify_submissions(tag: str, submitter: Submitter, n: int) -> tuple[int, int, int, list[str]]:
    """(rows in the database, lost, doubled, problems): counted in the database, by the summary each body carries,
    and checked against the answers the client received."""
    from django.db import connection
    from django.db.models import Count

    from fayuan.api.models import IdempotencyRecord
    from fayuan.cases.models import Case

    connection.close()  # the database may have restarted since this process last asked
    rows = Case.objects.filter(matter_summary__startswith=tag + "-")
    per_summary = dict(rows.values_list("matter_summary").annotate(n=Count("id")).values_list("matter_summary", "n"))
    expected = {submitter.summary(i) for i in range(n)}
    lost = sorted(expected - set(per_summary))
    doubled = sorted(s for s, count in per_summary.items() if count > 1)
    problems: list[str] = []
    answered = set(submitter.created.values())
    if len(answered) != len(submitter.created):
        problems.append("two keys were answered with the same case")
    in_db = {str(p) for p in rows.values_list("public_id", flat=True)}
    if answered - in_db:
        problems.append(f"{len(answered - in_db)} answered cases are not in the database")
    keys = set(submitter.keys.values())
    records = IdempotencyRecord.objects.filter(key__in=keys)
    if submitter.use_key and (records.count() != len(submitter.created)
                              or records.exclude(response_status=201).exists()):
        problems.append(f"idempotency records: {records.count()} for {len(submitter.created)} created")
    for record in records.only("key", "response_body"):
        public_id = json.loads(record.response_body)["public_id"]
        if public_id not in in_db:
            problems.append(f"key {record.key} maps to a case that is not there")
            break
    return rows.count(), len(lost), len(doubled), problems


# --- Setup -----------------------------------------------------------------------------------------------------

@dataclass
class World:
    token: str
    applicants: list[str]
    session: str
    reviewer_center_case: Callable[[], str]


def build_world() -> World:
    from django.test import Client

    from fayuan.accounts.models import User
    from fayuan.api.tokens import api_token_issue
    from fayuan.people.models import Person

    reviewer = User.objects.get(username="demo_reviewer")
    _, token = api_token_issue(actor=None, user=reviewer, name="故障注入基准")
    applicants = [str(p) for p in Person.objects.filter(intake_center=reviewer.center)
                  .values_list("public_id", flat=True)]
    if not applicants:
        raise SystemExit("演示数据中审查人员所在中心没有登记人员。")
    browser = Client()
    from fayuan.accounts.testing import sign_in  # past the second factor too, as office pages require

    sign_in(browser, reviewer)  # a session row in the database, as a sign-in would leave
    session = browser.cookies["sessionid"].value

    def newest_case() -> str:
        from fayuan.cases.models import Case

        case = Case.objects.filter(center=reviewer.center).order_by("-id").first()
        if case is None:
            raise SystemExit("没有可上传材料的案件。")
        return str(case.public_id)

    return World(token=token, applicants=applicants, session=session, reviewer_center_case=newest_case)


def office_headers(world: World) -> dict[str, str]:
    return {"Cookie": f"sessionid={world.session}; csrftoken={CSRF}"}


# --- Scenario 1: SIGKILL the app server mid-burst --------------------------------------------------------------

def scenario_kill(app: AppServer, world: World, *, n: int, kills: int, concurrency: int,
                  impatient_every: int, use_key: bool = True) -> Scenario:
    tag, tally = f"故障注入K{secrets.token_hex(3)}", Tally()
    submitter = Submitter(app.port, world.token, world.applicants, tag, tally, impatient_every=impatient_every,
                          use_key=use_key)
    thresholds = [round(n * (k + 1) / (kills + 1)) for k in range(kills)]
    downtime: list[float] = []
    stop = threading.Event()

    def killer() -> None:
        for mark in thresholds:
            while submitter.done < mark and not stop.is_set():
                time.sleep(0.02)
            if stop.is_set():
                return
            began = time.monotonic()
            app.kill()
            time.sleep(0.5)  # clients meet a closed port, then a booting server
            app.start()
            try:
                app.wait_ready(timeout=120)
            except TimeoutError:
                print(app.log_tail(), file=sys.stderr)
                submitter.abort.set()  # counted as lost, rather than every client waiting out its give-up time
                raise
            downtime.append(time.monotonic() - began)

    began = time.monotonic()
    thread = threading.Thread(target=killer, name="killer", daemon=True)
    thread.start()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(submitter.submit, range(n)))
    stop.set()
    thread.join(timeout=5)
    seconds = time.monotonic() - began
    rows, lost, doubled, problems = verify_submissions(tag, submitter, n)
    table = [
        ("submissions (distinct keys)", str(n)), ("concurrent clients", str(concurrency)),
        ("SIGKILLs of master + workers", f"{len(downtime)} (at {', '.join(map(str, thresholds))} answered)"),
        ("downtime per kill (kill → ready)", ", ".join(f"{d:.1f} s" for d in downtime) or "-"),
        ("requests sent", str(tally["requests"])), ("retries", str(tally["retries"])),
        ("connection errors (server killed)", str(tally["connection errors"])),
        ("client timeouts (gave up after 0.1 s)", f"{tally['client timeouts']} (every {impatient_every}th "
                                                  "submission's first try)" if impatient_every else "0"),
        ("503", str(tally["503"])), ("500", str(tally["500"])),
        ("answers replayed from the key", str(tally["replayed answers"])),
        ("refused (4xx)", str(len(submitter.refused))), ("final rows", str(rows)), ("lost", str(lost)),
        ("doubled", str(doubled)), ("duration", f"{seconds:.1f} s"),
        ("throughput", f"{n / seconds:.1f} applications/s"),
    ]
    checks = [
        (f"exactly {n} applications in the database", rows == n),
        ("none lost, none doubled", lost == 0 and doubled == 0),
        ("every key answered 201 with its own case, and maps to one case", not problems
         and len(submitter.created) == n),
        ("no 500", tally["500"] == 0),
        (f"the server was killed {kills} times mid-burst", len(downtime) == kills),
        ("retries after a lost answer were replayed, not created again", not impatient_every
         or tally["replayed answers"] > 0),
    ]
    notes = problems + [f"{k}: {v}" for k, v in tally.samples.items()]
    return Scenario("1. SIGKILL of gunicorn during a burst of idempotent API submissions", table, checks, notes)


# --- Scenario 2: PostgreSQL restarts under load ----------------------------------------------------------------

def scenario_postgres(app: AppServer, pg: PrivatePostgres, world: World, *, n: int, outage: float,
                      concurrency: int) -> Scenario:
    tag, tally, reads = f"故障注入P{secrets.token_hex(3)}", Tally(), Tally()
    submitter = Submitter(app.port, world.token, world.applicants, tag, tally)
    finished = threading.Event()
    restarts: list[str] = []

    def reader(path: str, headers: dict[str, str], html: bool) -> None:
        while not finished.is_set():
            reads.add("requests")
            try:
                answer = call(app.port, "GET", path, headers=headers)
            except NETWORK_ERRORS as exc:
                reads.add("connection errors", sample=repr(exc))
                time.sleep(0.1)
                continue
            if answer.status == 200:
                reads.add("200")
            elif answer.status == 503:
                reads.add("503")
                (check_html_503 if html else check_api_503)(answer, reads)
            elif answer.status >= 500:
                reads.add("500" if answer.status == 500 else str(answer.status),
                          sample=answer.body.decode(errors="replace"))
            else:
                reads.add(f"unexpected {answer.status}", sample=answer.body.decode(errors="replace")[:200])
            time.sleep(0.05)

    def operator() -> None:
        # Once with a few seconds' outage (stop, wait, start), once as a plain restart.
        for mark, pause in ((n // 4, outage), (n * 3 // 5, 0.0)):
            while submitter.done < mark and not finished.is_set():
                time.sleep(0.02)
            if finished.is_set():
                return
            try:
                took = pg.restart(outage=pause)
            except RuntimeError:
                submitter.abort.set()
                raise
            restarts.append(f"{took:.1f} s down")

    readers = [
        threading.Thread(target=reader, args=("/api/v1/cases?page_size=5", {"Authorization": f"Bearer {world.token}"},
                                              False), daemon=True),
        threading.Thread(target=reader, args=("/office/cases/", office_headers(world), True), daemon=True),
    ]
    began = time.monotonic()
    for t in readers:
        t.start()
    ops = threading.Thread(target=operator, name="operator", daemon=True)
    ops.start()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(submitter.submit, range(n)))
    ops.join(timeout=120)
    finished.set()
    for t in readers:
        t.join(timeout=35)
    seconds = time.monotonic() - began
    rows, lost, doubled, problems = verify_submissions(tag, submitter, n)
    after = call(app.port, "GET", "/healthz")
    all_500 = tally["500"] + reads["500"]
    all_503 = tally["503"] + reads["503"]
    table = [
        ("PostgreSQL restarts", f"{len(restarts)} ({'; '.join(restarts)})"),
        ("API submissions (distinct keys)", str(n)), ("submission requests sent", str(tally["requests"])),
        ("submission retries", str(tally["retries"])), ("submission 503s", str(tally["503"])),
        ("reads sent (API list + office queue)", str(reads["requests"])), ("reads 200", str(reads["200"])),
        ("reads 503", str(reads["503"])), ("500 (all requests)", str(all_500)),
        ("malformed 503 (no Chinese/JSON/Retry-After)", str(tally["malformed 503"] + reads["malformed 503"])),
        ("connection errors", str(tally["connection errors"] + reads["connection errors"])),
        ("final rows", str(rows)), ("lost", str(lost)), ("doubled", str(doubled)),
        ("duration", f"{seconds:.1f} s"),
    ]
    checks = [
        ("the outage was seen: some requests answered 503", all_503 > 0),
        ("no 500 during or after the restarts", all_500 == 0),
        ("every 503 is clean: Chinese message, Retry-After, JSON for the API / a page for the office",
         tally["malformed 503"] + reads["malformed 503"] == 0),
        (f"retries succeeded: exactly {n} applications, none lost, none doubled",
         rows == n and lost == 0 and doubled == 0 and not problems and len(submitter.created) == n),
        ("reads succeed again after the restarts", reads["200"] > 0 and after.status == 200),
        ("every read answered 200 or 503 (no sign-in redirect, no refusal)",
         not any(k.startswith("unexpected") for k in reads.counts)),
        ("the app server never went away (no connection errors)",
         tally["connection errors"] + reads["connection errors"] == 0),
    ]
    notes = problems + [f"{k}: {v}" for k, v in {**tally.samples, **reads.samples}.items()]
    return Scenario("2. PostgreSQL restarted under load", table, checks, notes)


# --- Scenario 3: a full upload disk ----------------------------------------------------------------------------

def pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n% fayuan fault injection\n"
    return head + os.urandom(size - len(head))


def stored_files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def dangling_rows(media: Path) -> list[str]:
    """CaseFile rows whose file is missing, shorter than recorded, or not the recorded content."""
    from django.db import connection

    from fayuan.cases.models import CaseFile

    connection.close()
    bad = []
    for row in CaseFile.objects.only("file", "size", "sha256"):
        path = media / row.file.name
        if not path.is_file() or path.stat().st_size != row.size or \
                hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
            bad.append(row.file.name)
    return bad


def scenario_disk(env: dict[str, str], world: World, *, workers: int) -> Scenario:
    from django.db import connection

    from fayuan.cases.models import Case, CaseFile

    with tmpfs("2m") as media:
        if media is None:
            return Scenario("3. Uploads onto a full disk", [("result", "skipped")],
                            [("a tmpfs could be mounted (run as root)", False)],
                            ["mount -t tmpfs failed: this scenario needs root (or CAP_SYS_ADMIN)."])
        app = AppServer({**env, "MEDIA_ROOT": str(media)}, workers=workers,
                        log=Path(env["MEDIA_ROOT"]).parent / "gunicorn-disk.log")  # in the run's folder
        app.start()
        try:
            app.wait_ready()
            case_id = world.reviewer_center_case()
            free = os.statvfs(media).f_bavail * os.statvfs(media).f_frsize
            filler = media / "filler.bin"
            filler.write_bytes(b"\0" * max(0, free - 48 * 1024))  # leaves 48 KiB: a stub, not a file, fits
            connection.close()
            files_before, cases_before = CaseFile.objects.count(), Case.objects.count()
            tally, outcomes = Tally(), []
            headers = office_headers(world)

            def upload(label: str, size: int) -> Answer:
                body, content_type = multipart({"csrfmiddlewaretoken": CSRF, "kind": "means_proof"},
                                               {"uploads": (f"{label}.pdf", pdf(size), "application/pdf")})
                answer = call(app.port, "POST", f"/office/cases/{case_id}/materials/", body=body,
                              headers={**headers, "Content-Type": content_type})
                tally.add("requests")
                tally.add(str(answer.status))
                outcomes.append(f"{label} ({size // 1024} KiB) → {answer.status}")
                return answer

            def new_application(size: int) -> Answer:
                fields = {"csrfmiddlewaretoken": CSRF, "applicant": world.applicants[0], "channel": "counter",
                          "case_type": "civil", "matter": "wages", "matter_summary": "故障注入-磁盘已满",
                          "household_size": "3", "household_monthly_income": "3000",
                          "income_source": "self_declared", "material_kind_0": "id_document"}
                body, content_type = multipart(fields, {"material_file_0": ("身份证.pdf", pdf(size),
                                                                            "application/pdf")})
                answer = call(app.port, "POST", "/office/cases/new/", body=body,
                              headers={**headers, "Content-Type": content_type})
                tally.add("requests")
                tally.add(str(answer.status))
                outcomes.append(f"new application with {size // 1024} KiB → {answer.status}")
                return answer

            # In memory (under 2.5 MB) Django streams the upload into place; larger ones arrive in a temporary
            # file and are copied across file systems: both are where the disk fills up.
            full_answers = [upload("small", 200 * 1024), upload("large", 3 * 1024 * 1024), new_application(300 * 1024)]
            clear = all(a.status == 503 and "存储空间不足" in a.body.decode(errors="replace") for a in full_answers)
            left = {k: v for k, v in stored_files(media).items() if k != "filler.bin"}
            connection.close()
            files_after_full, cases_after_full = CaseFile.objects.count(), Case.objects.count()
            dangling = dangling_rows(media)
            filler.unlink()
            retry = upload("retry with room", 200 * 1024)
            connection.close()
            files_after_retry = CaseFile.objects.count()
            dangling_after = dangling_rows(media)
        finally:
            app.stop()
    table = [
        ("upload disk", "tmpfs 2 MiB, filled to 48 KiB free"),
        ("requests", str(tally["requests"])), ("answers", "; ".join(outcomes)),
        ("500", str(tally["500"])), ("rows added while full (files, cases)",
                                      f"{files_after_full - files_before}, {cases_after_full - cases_before}"),
        ("partial files left", str(len(left))), ("rows naming a missing/partial file", str(len(dangling))),
        ("after freeing space", f"{retry.status}, {files_after_retry - files_after_full} file stored"),
    ]
    checks = [
        ("each upload onto the full disk is a 503 with a clear Chinese message", clear),
        ("no 500", tally["500"] == 0),
        ("no row written while the disk was full", files_after_full == files_before
         and cases_after_full == cases_before),
        ("no partial file left on the disk", not left),
        ("no row names a missing or partial file", not dangling and not dangling_after),
        ("with room again the same upload is stored", retry.status == 302 and files_after_retry == files_before + 1),
    ]
    notes = [f"left on disk: {', '.join(left)}"] if left else []
    return Scenario("3. Uploads onto a full disk", table, checks, notes)


# --- Driver ----------------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench faults", description="故障注入：经 gunicorn 与 PostgreSQL")
    parser.add_argument("--submissions", type=int, default=1000, help="场景 1 的申请数（默认 1000）")
    parser.add_argument("--kills", type=int, default=3, help="场景 1 中 SIGKILL 的次数（默认 3）")
    parser.add_argument("--impatient-every", type=int, default=20,
                        help="场景 1 中每 N 件申请的首次请求 0.1 秒即放弃等待（默认 20；0 为不放弃）")
    parser.add_argument("--load-submissions", type=int, default=300, help="场景 2 的申请数（默认 300）")
    parser.add_argument("--outage", type=float, default=3.0, help="场景 2 中数据库停机秒数（默认 3）")
    parser.add_argument("--no-idempotency-key", action="store_true",
                        help="场景 1 的客户端不带幂等键重试（用于验证检查能发现重复）")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn 工作进程数（默认 4）")
    parser.add_argument("--concurrency", type=int, default=8, help="并发客户端数（默认 8）")
    parser.add_argument("--only", default="kill,postgres,disk", help="只运行这些场景（逗号分隔）")
    args = parser.parse_args(argv)
    chosen = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = chosen - {"kill", "postgres", "disk"}
    if unknown:
        parser.error(f"未知场景：{', '.join(sorted(unknown))}")

    started = time.monotonic()
    results: list[Scenario] = []
    folder = Path(tempfile.mkdtemp(prefix="fayuan-faults-"))
    print("启动私有 PostgreSQL 实例……", flush=True)
    with PrivatePostgres.create() as pg:
        url = pg.create_database("fayuan_faults_bench")
        env = app_env(database_url=url, media_root=folder / "media", STATIC_ROOT=str(folder / "static"))
        django_setup(env)
        print("迁移并生成演示数据……", flush=True)
        prepare(persons=20)
        world = build_world()
        print(f"准备就绪（{time.monotonic() - started:.0f} 秒）。", flush=True)
        app = AppServer(env, workers=args.workers, log=folder / "gunicorn.log")
        try:
            if chosen & {"kill", "postgres"}:
                app.start()
                app.wait_ready()
            if "kill" in chosen:
                print(f"场景 1：{args.submissions} 件申请，期间 SIGKILL {args.kills} 次……", flush=True)
                results.append(scenario_kill(app, world, n=args.submissions, kills=args.kills,
                                             concurrency=args.concurrency, impatient_every=args.impatient_every,
                                             use_key=not args.no_idempotency_key))
                print(results[-1].markdown(), flush=True)
            if "postgres" in chosen:
                print(f"场景 2：{args.load_submissions} 件申请与读取，期间重启 PostgreSQL……", flush=True)
                results.append(scenario_postgres(app, pg, world, n=args.load_submissions, outage=args.outage,
                                                 concurrency=args.concurrency))
                print(results[-1].markdown(), flush=True)
        finally:
            app.stop()
        if "disk" in chosen:
            if not chosen & {"kill", "postgres"}:
                _seed_one_case(world)  # a case to upload to
            print("场景 3：上传到已满的磁盘……", flush=True)
            results.append(scenario_disk(env, world, workers=2))
            print(results[-1].markdown(), flush=True)
        if any(not r.ok for r in results):
            print(f"gunicorn 日志末尾：\n{app.log_tail(40)}", file=sys.stderr)
    if os.environ.get("FAULTS_KEEP"):
        print(f"运行目录保留在 {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    total = time.monotonic() - started
    report = (f"# Fault injection {dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
              f"gunicorn ({args.workers} workers) on a private PostgreSQL instance; total {total:.0f} s.\n\n"
              + "\n".join(r.markdown() for r in results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"faults-{dt.datetime.now(tz=dt.UTC):%Y-%m-%d}.md"
    out.write_text(report, encoding="utf-8")
    verdict = "全部通过" if all(r.ok for r in results) else "有检查未通过"
    print(f"{verdict}（用时 {total:.0f} 秒）；结果已写入 {out.relative_to(ROOT)}")
    return 0 if all(r.ok for r in results) else 1


def _seed_one_case(world: World) -> None:
    from decimal import Decimal

    from fayuan.accounts.models import User
    from fayuan.cases import services

    services.case_receive(actor=User.objects.get(username="demo_reviewer"), data=services.ApplicationInput(
        applicant_id=world.applicants[0], case_type="civil", matter="wages", matter_summary="故障注入-上传",
        household_size=3, household_monthly_income=Decimal("3000")))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
