"""Loaded by pytest (``-p config.pytest_env``) before pytest-django imports the settings and before any test module.

``FAYUAN_TEST_CLOCK`` (an ISO time with its offset, e.g. ``2027-01-01T00:05+08:00``, or ``new-year``: the coming
1 January at 00:05 China time) runs the whole suite with the clock moved there and ticking: the way to find the tests
that pass only on some days (a date fixed in a test that was "the future" when written, a year read in UTC where
China is already in the next, a "this year" with nothing in it yet). ``make test-calendar`` (in CI) runs the suite at
the new year, which is also the turn of a month and of a day, and the one moment when UTC and China differ by year.

The clock of other programs (a shell script, the file system's times) does not move: a test that compares with them
reads the real time through ``time_machine.escape_hatch``."""

import datetime as dt
import os

os.environ.setdefault("FAYUAN_ENV", "test")

_clock = os.environ.get("FAYUAN_TEST_CLOCK", "").strip()
if _clock:
    import time_machine

    if _clock == "new-year":
        china = dt.timezone(dt.timedelta(hours=8))
        _clock = f"{dt.datetime.now(china).year + 1}-01-01T00:05+08:00"
    time_machine.travel(dt.datetime.fromisoformat(_clock), tick=True).start()
