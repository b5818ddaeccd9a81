"""A fast smoke test of the load harness's pure parts (in `make test`: testpaths holds bench/tests)."""

from __future__ import annotations

import importlib
from pathlib import Path

from bench.grow import PATHS, id_number
from bench.load import Target, as_run, ratio_table


def raw(requests: int, *, status: int = 0) -> dict[str, int | float]:
    return {"requests": requests, "duration_us": 10_000_000, "bytes": 0, "connect": 0, "read": 0, "write": 0,
            "status": status, "timeout": 0, "p50_us": 20_000, "p90_us": 30_000, "p99_us": 40_000, "mean_us": 21_000.0,
            "max_us": 50_000}


def test_baseline_settings_import() -> None:
    settings = importlib.import_module("bench.baseline.settings")
    assert settings.ROOT_URLCONF == "bench.baseline.urls"
    assert "bench.baseline" in settings.INSTALLED_APPS
    assert not any("fayuan" in m for m in settings.MIDDLEWARE)


def test_ratio_table_pairs_each_repetition_and_flags_errors() -> None:
    runs = [as_run("w", "fayuan", 1, raw(2000)), as_run("w", "baseline", 1, raw(8000)),
            as_run("w", "baseline", 2, raw(10000)), as_run("w", "fayuan", 2, raw(2500, status=3))]
    text = ratio_table(runs)
    rows = text.splitlines()[2:]
    assert rows[0].startswith("| w | 1 | 200 | 20 | 40 | 800 |") and "| 0.25 |" in rows[0]
    assert "| 0.25 |" in rows[1] and "fayuan: 3 errors" in rows[1]


def test_wrk_script_cycles_paths_and_sets_fresh_keys(tmp_path: Path) -> None:
    script = Target("POST", ["/a", "/b"], {"Content-Type": "application/json"}, ['{"x": 1}'], fresh_key=True
                    ).script(tmp_path, "t").read_text()
    assert '"/a", "/b"' in script and "local fresh_key = true" in script and "Idempotency-Key" in script


def test_id_numbers_are_valid_and_distinct() -> None:
    from fayuan.people import idnumber

    numbers = {id_number("321102", i) for i in range(0, 40_000, 7)}
    assert len(numbers) == len(range(0, 40_000, 7))
    for n in list(numbers)[:50]:
        assert idnumber.parse(n).value == n
    assert set(PATHS["archived"]) >= {"grant", "assign", "archive"}


def test_capacity_divides_by_the_cases_and_projects_linearly() -> None:
    from bench.capacity import GIB, TableSize, markdown, per_case, project

    sizes = [TableSize("cases_case", 100, 100_000), TableSize("cases_caseevent", 700, 140_000)]
    assert per_case(sizes, 100) == {"cases_case": 1000.0, "cases_caseevent": 1400.0}
    assert sizes[1].bytes_per_row == 200.0
    years = project(2400.0, 1_000_000, 3)
    assert [y for y, _ in years] == [1, 2, 3]
    assert years[2][1] == 3 * years[0][1] == 3 * 2400.0 * 1_000_000 / GIB
    text = markdown(sizes, 100, cases_per_year=1_000_000, years=2, audit_per_case=10, audit_row_bytes=60, at="t",
                    database="d")
    assert "together 3,000 bytes" in text and "| cases_caseevent | 700 | 7.00 | 200 | 1,400 |" in text


def test_wrk_sends_a_key_no_other_request_of_any_run_sent(tmp_path: Path) -> None:
    """Through wrk itself (two threads, two runs of one script): every Idempotency-Key is new. The keys once
    repeated across threads and runs, so half the "submits" under load were replays of earlier ones."""
    import shutil
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pytest

    from bench.load import wrk

    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (make sysdeps-test)")
    keys: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # the name http.server calls
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            keys.append(self.headers["Idempotency-Key"])
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # wrk drops its connections when its time is up

    server = Server(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        script = Target("POST", ["/submit"], {"Content-Type": "application/json"}, ['{"x": 1}'], fresh_key=True
                        ).script(tmp_path, "keys")
        url = f"http://127.0.0.1:{server.server_address[1]}"
        for _ in range(2):
            assert wrk(url, script, seconds=1, connections=4, threads=2)["requests"] > 0
    finally:
        server.shutdown()
        server.server_close()
    threads = {k.split("-")[2] for k in keys}
    assert len(keys) > 20 and len(set(keys)) == len(keys) and threads == {"1", "2"}
