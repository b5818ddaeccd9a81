"""The domain-event registry: one app publishes what happened, others react, and the publisher imports none of them.

An app that must react to, say, a case event registers a handler in its ``AppConfig.ready()``::

    events.subscribe("case.grant", notify_center, phase=events.AFTER_COMMIT)
    events.subscribe("case.*", start_clocks, phase=events.IN_TRANSACTION)

``IN_TRANSACTION`` handlers run inside the publisher's transaction, in registration order (INSTALLED_APPS order),
for data that must commit or roll back with the event (deadline clocks, rollups, evaluations); an exception there
rolls the whole action back. ``AFTER_COMMIT`` handlers run once the transaction has committed (messages, tasks);
they receive the same message but must re-read what they need, and a failure is logged, never raised, because the
action itself has already happened. This is pretix's documented-hook pattern, kept explicit and greppable:
one ``subscribe`` call names the event and the handler. Django's model signals are not used for domain wiring.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction

log = logging.getLogger(__name__)

Phase = Literal["in_transaction", "after_commit"]
IN_TRANSACTION: Phase = "in_transaction"
AFTER_COMMIT: Phase = "after_commit"
WILDCARD = "*"


@dataclass(frozen=True)
class Event:
    """What happened. ``name`` is ``"<topic>.<kind>"`` (``"case.grant"``); ``subject`` the record it happened to;
    ``clocks`` the clock events it emits (``"application_received"``) for the deadline rules."""

    name: str
    subject: Any
    at: dt.datetime
    actor: Any = None
    payload: dict[str, Any] = field(default_factory=dict)
    clocks: tuple[str, ...] = ()

    @property
    def topic(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def kind(self) -> str:
        return self.name.split(".", 1)[1] if "." in self.name else ""


Handler = Callable[[Event], None]


@dataclass(frozen=True)
class Subscription:
    pattern: str
    handler: Handler
    phase: Phase

    def matches(self, name: str) -> bool:
        if self.pattern == name:
            return True
        topic, _, kind = self.pattern.partition(".")
        return kind == WILDCARD and name.startswith(f"{topic}.")

    @property
    def label(self) -> str:
        return f"{getattr(self.handler, '__module__', '?')}.{getattr(self.handler, '__qualname__', '?')}"


_subscriptions: list[Subscription] = []


def subscribe(pattern: str, handler: Handler, *, phase: Phase) -> None:
    """Register ``handler`` for events named ``pattern`` (``"case.grant"``) or a whole topic (``"case.*"``).
    Registering the same handler twice for the same pattern and phase is a no-op (``ready()`` may run twice)."""
    if phase not in (IN_TRANSACTION, AFTER_COMMIT):
        raise ValueError(f"unknown phase {phase!r}")
    if "." not in pattern:
        raise ValueError(f"event pattern must be '<topic>.<kind>' or '<topic>.*', got {pattern!r}")
    subscription = Subscription(pattern, handler, phase)
    if subscription not in _subscriptions:
        _subscriptions.append(subscription)


def unsubscribe(pattern: str, handler: Handler, *, phase: Phase) -> None:
    """For tests that register a temporary handler."""
    subscription = Subscription(pattern, handler, phase)
    if subscription in _subscriptions:
        _subscriptions.remove(subscription)


def subscriptions(name: str | None = None) -> list[Subscription]:
    """Every subscription (or those an event name reaches), in the order they run: to read or to test the wiring."""
    return [s for s in _subscriptions if name is None or s.matches(name)]


def publish(event: Event) -> None:
    """Run the in-transaction handlers now and schedule the after-commit ones. Call inside the action's transaction."""
    for subscription in subscriptions(event.name):
        if subscription.phase == IN_TRANSACTION:
            subscription.handler(event)
        else:
            transaction.on_commit(_guarded(subscription, event))


def _guarded(subscription: Subscription, event: Event) -> Callable[[], None]:
    def run() -> None:
        try:
            subscription.handler(event)
        except Exception:
            # The action has committed; a failed message must not turn it into an error page.
            log.exception("after-commit handler %s failed for %s", subscription.label, event.name)

    return run
