"""The WSGI entry point that gunicorn loads (deploy/gunicorn.conf.py, bench/server.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_loading_the_application_freezes_what_was_imported_out_of_the_garbage_collectors_walks() -> None:
    # In a fresh interpreter: freezing is process-wide, and the test process must keep its own collector as it is.
    probe = ("import gc, sys; before = gc.get_freeze_count(); import config.wsgi as w; "
             "print(before, gc.get_freeze_count(), type(w.application).__name__, "
             "'fayuan.cases.views' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**os.environ, "FAYUAN_ENV": "test"},  # noqa: S603
                         capture_output=True, text=True, timeout=120, check=True).stdout.split()
    before, after, handler, views, exports = int(out[0]), int(out[1]), out[2], out[3], out[4]
    assert before == 0
    assert handler == "WSGIHandler"
    # The URLconf and the views behind it are imported before the first request (not on it), and frozen with the rest.
    assert (views, exports) == ("True", "True")
    # Django, every app's models and the rule modules: well over 100,000 objects (about 260,000 today).
    assert after > 100_000
