"""seed_demo's stages (``make run``): the base stage alone gives accounts to sign in with and no history; the rest
stage completes the demo and records its progress for the home pages; ``all`` is both."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import Case
from fayuan.consultations.models import Consultation
from fayuan.core.audit import verify_chain
from fayuan.core.demo_seed import HISTORY_DONE, HISTORY_FROM, RESET_HINT, demo_seed_latest
from fayuan.core.models import TaskOutcome
from fayuan.demo.accounts import DEMO_PASSWORD, account_specs
from fayuan.demo.management.commands import seed_demo as command
from fayuan.people.models import Person

SIZES = {"persons": 30, "cases": 16, "consultations": 10}


def _seed(stage: str, **sizes: int) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stage=stage, stdout=out, stderr=err, **(sizes or SIZES))
    return out.getvalue(), err.getvalue()


def _row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    # Progress rows differ by design (one per run that replays a history), sessions and tasks are not demo data.
    skip = {"core.TaskProgress"}
    return {m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)
            if m._meta.db_table in tables and m._meta.label not in skip}


@pytest.mark.django_db
def test_base_stage_alone_gives_every_demo_account_and_no_history() -> None:
    out, _ = _seed("base")
    for spec in account_specs():
        user = User.objects.get(username=spec.username)
        assert user.is_active and user.check_password(DEMO_PASSWORD), spec.username
        assert spec.username in out  # the table of accounts is printed before the site starts
    assert not Case.objects.exists() and not Consultation.objects.exists() and not Person.objects.exists()
    assert demo_seed_latest() is None  # nothing runs in the background yet


@pytest.mark.django_db
def test_base_then_rest_equals_all() -> None:
    # Without the replayed year, whose few steps that look at "a few days ago" depend on the second they run in.
    sizes = {"persons": 30, "cases": 0, "consultations": 0}
    with time_machine.travel(timezone.now(), tick=False):
        with transaction.atomic():
            _seed("all", **sizes)
            everything = _row_counts()
            transaction.set_rollback(True)
        _seed("base", **sizes)
        _seed("rest", **sizes)
        assert _row_counts() == everything


@pytest.mark.django_db
def test_rest_stage_completes_the_demo_and_records_its_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int]] = []
    update = command.demo_seed_update

    def watch(row: Any, *, done: int, stage: str | None = None) -> None:
        update(row, done=done, stage=stage)
        seen.append((row.outcome, row.done))

    monkeypatch.setattr(command, "demo_seed_update", watch)
    _seed("base")
    _seed("rest")
    assert Case.objects.exists() and Consultation.objects.exists() and Person.objects.count() >= SIZES["persons"]
    assert {outcome for outcome, _ in seen} == {TaskOutcome.RUNNING}
    assert [done for _, done in seen] == sorted(done for _, done in seen) and seen[-1][1] < 100
    assert any(HISTORY_FROM < done < HISTORY_DONE for _, done in seen)  # the replay reports as it goes
    row = demo_seed_latest()
    assert row is not None and row.outcome == TaskOutcome.SUCCEEDED and row.done == 100 and row.finished_at
    # Another run finds the history made: no new history, no new progress row to show.
    cases = Case.objects.count()
    _seed("rest")
    assert Case.objects.count() == cases and demo_seed_latest() == row
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_failure_is_recorded_with_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise RuntimeError("质量数据出错")

    monkeypatch.setattr(command, "seed_quality", boom)
    _seed("base")
    with pytest.raises(RuntimeError):
        _seed("rest")
    row = demo_seed_latest()
    assert row is not None and row.outcome == TaskOutcome.FAILED and row.finished_at
    assert "质量管理与同行评估" in row.message and "质量数据出错" in row.message


@pytest.mark.django_db
def test_an_interruption_after_the_history_goes_on_at_the_next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def stop() -> None:
        raise KeyboardInterrupt  # what the SIGTERM of make run's Ctrl-C trap becomes

    real = command.seed_quality
    monkeypatch.setattr(command, "seed_quality", stop)
    _seed("base")
    with pytest.raises(CommandError) as raised:
        _seed("rest")
    assert raised.value.returncode == 130
    row = demo_seed_latest()
    assert row is not None and row.outcome == TaskOutcome.CANCELLED and row.done >= HISTORY_DONE
    assert "被中断" in row.message and "继续" in row.message
    monkeypatch.setattr(command, "seed_quality", real)
    _seed("rest")
    again = demo_seed_latest()
    assert again is not None and again.pk == row.pk and again.outcome == TaskOutcome.SUCCEEDED


@pytest.mark.django_db
def test_an_interruption_inside_the_history_says_to_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    real = command.run_history

    def half_way(*args: Any, on_step: Any, **kwargs: Any) -> Any:
        def step(n: int, of: int, at: Any) -> None:
            on_step(n, of, at)
            if n * 2 >= of:
                raise KeyboardInterrupt  # Ctrl-C half-way through the replayed year

        return real(*args, on_step=step, **kwargs)

    monkeypatch.setattr(command, "run_history", half_way)
    _seed("base")
    with pytest.raises(CommandError):
        _seed("rest")
    row = demo_seed_latest()
    assert row is not None and row.outcome == TaskOutcome.CANCELLED and row.done < HISTORY_DONE
    assert RESET_HINT in row.message
    # The next make run says so first, in its foreground stage, and the background stage changes nothing more.
    _, err = _seed("base")
    assert "中断" in err and "make demo-reset" in err
    cases = Case.objects.count()
    _, err = _seed("rest")
    assert "无法续做" in err and Case.objects.count() == cases
    row.refresh_from_db()
    assert row.outcome == TaskOutcome.FAILED and RESET_HINT in row.message
