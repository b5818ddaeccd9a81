"""The breach report per forwarding body, counted by hand against a small fixture."""

from __future__ import annotations

import datetime as dt

from fayuan.cases.services import case_withdraw
from fayuan.custody import selectors, services

from .helpers import detention, local, police, record

H = dt.timedelta(hours=1)
T0 = local(2026, 11, 30, 8, 0)
NOW = T0 + 72 * H


def _forward(actor, forwarding, after):
    services.forwarding_forward(actor=actor, public_id=forwarding.public_id, at=forwarding.received_at + after)


def test_breaches_per_forwarding_body_counted_by_hand(city):
    """Detention center A: on time (23 h), late (25 h), overdue (never forwarded), withdrawn before forwarding (no
    breach) → late 1, overdue 1. Police A: late (30 h) → late 1. Duty lawyer: on time at 24 h exactly → none.
    Still open and not yet due at NOW (received 71 h after T0) → none."""
    jail, cops, duty = detention(city), police(city), city.user("duty_a")
    _forward(jail, record(jail, T0, now=NOW), 23 * H)
    _forward(jail, record(jail, T0 + H, now=NOW), 25 * H)
    record(jail, T0 + 2 * H, now=NOW)
    withdrawn = record(jail, T0 + 3 * H, now=NOW)
    case_withdraw(actor=city.user("reviewer_a"), public_id=withdrawn.case.public_id, reason="申请人撤回")
    _forward(cops, record(cops, T0, now=NOW), 30 * H)
    _forward(duty, record(duty, T0, now=NOW), 24 * H)
    record(jail, T0 + 71 * H, now=NOW)

    rows = selectors.forwarding_breaches(city.user("bureau"), now=NOW)
    assert [(r.body, r.late, r.overdue, r.total) for r in rows] == [
        ("京口区公安分局", 1, 0, 1), ("京口区看守所", 1, 1, 2)]
    # The list behind a figure: the same filter the report link opens.
    behind = selectors.forwardings_visible_to(city.user("bureau")).filter(
        selectors.breach_filter(NOW), organ=jail.organ)
    assert behind.count() == 2
    # Scope: center B and another district's bureau see none of it; the liaison sees its own organ's row only.
    assert selectors.forwarding_breaches(city.user("reviewer_b"), now=NOW) == []
    assert [r.body for r in selectors.forwarding_breaches(jail, now=NOW)] == ["京口区看守所"]
