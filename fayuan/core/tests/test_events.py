"""The domain-event registry: in-transaction handlers commit or roll back with the action, after-commit handlers
run only once it committed, and a failing after-commit handler does not undo anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from fayuan.core import events


@pytest.fixture
def recorded() -> Any:
    seen: list[tuple[str, str]] = []
    handlers: list[tuple[str, Any, events.Phase]] = []

    def add(pattern: str, phase: events.Phase, fail: bool = False) -> None:
        def handler(event: events.Event) -> None:
            seen.append((phase, event.name))
            if fail:
                raise RuntimeError("handler failed")

        handlers.append((pattern, handler, phase))
        events.subscribe(pattern, handler, phase=phase)

    yield seen, add
    for pattern, handler, phase in handlers:
        events.unsubscribe(pattern, handler, phase=phase)


def _event(name: str) -> events.Event:
    return events.Event(name=name, subject=None, at=timezone.now(), payload={"case_id": 1})


@pytest.mark.django_db
def test_in_transaction_handlers_run_at_once_and_after_commit_ones_wait(recorded, django_capture_on_commit_callbacks):
    seen, add = recorded
    add("test.grant", events.IN_TRANSACTION)
    add("test.*", events.AFTER_COMMIT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.publish(_event("test.grant"))
        assert seen == [("in_transaction", "test.grant")]
    assert len(callbacks) == 1
    assert seen == [("in_transaction", "test.grant"), ("after_commit", "test.grant")]


def test_a_wildcard_matches_its_topic_only(recorded):
    seen, add = recorded
    add("test.*", events.IN_TRANSACTION)
    events.publish(_event("other.grant"))
    events.publish(_event("test.refuse"))
    assert seen == [("in_transaction", "test.refuse")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_handlers_do_not_run_when_the_action_rolls_back(recorded):
    seen, add = recorded
    add("test.grant", events.AFTER_COMMIT)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish(_event("test.grant"))
        raise RuntimeError("the action failed")
    assert seen == []
    with transaction.atomic():
        events.publish(_event("test.grant"))
    assert seen == [("after_commit", "test.grant")]


@pytest.mark.django_db
def test_a_failing_after_commit_handler_is_logged_not_raised(recorded, django_capture_on_commit_callbacks, caplog):
    seen, add = recorded
    add("test.grant", events.AFTER_COMMIT, fail=True)
    add("test.grant", events.AFTER_COMMIT)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(_event("test.grant"))
    assert [s for s in seen if s[0] == "after_commit"] == [("after_commit", "test.grant")] * 2
    assert "after-commit handler" in caplog.text


def test_subscribing_twice_registers_once(recorded):
    seen, _add = recorded

    def handler(event: events.Event) -> None:
        seen.append(("x", event.name))

    events.subscribe("test.once", handler, phase=events.IN_TRANSACTION)
    events.subscribe("test.once", handler, phase=events.IN_TRANSACTION)
    try:
        events.publish(_event("test.once"))
        assert seen == [("x", "test.once")]
    finally:
        events.unsubscribe("test.once", handler, phase=events.IN_TRANSACTION)


def test_bad_patterns_and_phases_are_refused():
    with pytest.raises(ValueError):
        events.subscribe("grant", lambda e: None, phase=events.IN_TRANSACTION)
    with pytest.raises(ValueError):
        events.subscribe("case.grant", lambda e: None, phase="later")  # type: ignore[arg-type]


def test_the_case_events_are_wired_as_documented():
    """The apps that react to case events, and how: a greppable map of the wiring that ships."""
    wiring = {(s.pattern, s.phase, s.label) for s in events.subscriptions()}
    assert ("case.*", "in_transaction", "fayuan.deadlines.subscribers.case_clocks") in wiring
    assert ("case.grant", "after_commit", "fayuan.cases.subscribers.notify_next_actors") in wiring
    assert ("case.grant", "after_commit", "fayuan.cases.subscribers.assign_preferred_provider") in wiring
    assert ("case.grant", "after_commit", "fayuan.portal.subscribers.tell_applicant") in wiring
    assert ("case.progress_hearing", "after_commit", "fayuan.portal.subscribers.tell_applicant") in wiring
    for name in ("case.forward", "case.forward_from_custody"):  # the instant a custody application was forwarded
        assert (name, "in_transaction", "fayuan.custody.subscribers.forwarding_mark_forwarded") in wiring
    # Quality (issue 12): the grade proposed at acceptance, the evaluation and follow-up at closing, the recipients'
    # ratings from the public site (which publishes ``rating.submit``: quality sits on a floor below it).
    for name in ("case.grant", "case.assign", "case.provide_aid_first"):
        assert (name, "in_transaction", "fayuan.quality.subscribers.propose_grade") in wiring
    assert ("case.accept_closing", "in_transaction", "fayuan.quality.subscribers.open_evaluation") in wiring
    assert ("rating.submit", "in_transaction", "fayuan.quality.subscribers.feed_rating") in wiring
    # Subsidies (issue 14): computed when the closing file is accepted, in that transaction.
    assert ("case.accept_closing", "in_transaction", "fayuan.subsidies.subscribers.compute_subsidy") in wiring
    # Clocks first: every later in-transaction handler sees the deadlines the event started.
    in_tx = [s.label for s in events.subscriptions("case.grant") if s.phase == events.IN_TRANSACTION]
    assert in_tx[0] == "fayuan.deadlines.subscribers.case_clocks"


def test_event_names_split_into_topic_and_kind():
    event = events.Event(name="case.grant", subject=None, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert (event.topic, event.kind) == ("case", "grant")
