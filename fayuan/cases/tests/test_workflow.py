"""The transition table: structural checks, then random walks (hypothesis)."""

from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fayuan.cases import workflow as wf
from fayuan.cases.models import Status

ROLES = sorted({r for t in wf.TRANSITIONS for r in t.roles} | {"auditor", "system_admin", "organ_liaison"})
ENTRY = (Status.AT_STATION, Status.RECEIVED)
FINAL = {Status.ARCHIVED, Status.WITHDRAWN}


def _successors(status):
    return {t.target for t in wf.TRANSITIONS if status in t.sources}


def test_actions_are_unique_and_targets_are_real_states():
    assert len(wf.BY_ACTION) == len(wf.TRANSITIONS)
    for t in wf.TRANSITIONS:
        assert t.target in Status.values and t.sources <= set(Status.values) and t.roles


def test_archived_and_withdrawn_are_final():
    for status in FINAL:
        assert _successors(status) == set()


def test_every_state_is_reachable_from_an_application():
    seen, todo = set(ENTRY), deque(ENTRY)
    while todo:
        for nxt in _successors(todo.popleft()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert seen == set(Status.values)


@pytest.mark.parametrize("status", sorted(set(Status.values) - FINAL))
def test_every_open_state_can_still_end(status):
    seen, todo = {status}, deque([status])
    while todo:
        for nxt in _successors(todo.popleft()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert seen & (FINAL | {Status.REFUSED, Status.TERMINATED})


def test_decision_and_assignment_belong_to_the_center_objections_to_the_bureau():
    for action in ("grant", "refuse", "accept_closing", "archive", "terminate"):
        assert wf.BY_ACTION[action].roles == wf.CENTER
    assert wf.BY_ACTION["assign"].roles == wf.CENTER | wf.SYSTEM  # client choice and lapsed-window rotation
    for action in ("uphold_refusal", "overturn_refusal", "uphold_termination", "overturn_termination"):
        assert wf.BY_ACTION[action].roles == wf.BUREAU


def test_refusal_message_says_current_state_and_action():
    with pytest.raises(wf.TransitionRefused) as exc:
        wf.check(Status.RECEIVED, "archive", "center_reviewer")
    assert "已受理申请" in exc.value.message and "归档" in exc.value.message


@given(st.sampled_from(Status.values), st.sampled_from([*sorted(wf.BY_ACTION), "nonsense"]), st.sampled_from(ROLES))
def test_check_allows_exactly_what_the_table_lists(status, action, role):
    t = wf.BY_ACTION.get(action)
    allowed = t is not None and status in t.sources and role in t.roles
    try:
        result = wf.check(status, action, role)
    except wf.TransitionRefused as exc:
        assert not allowed and exc.message
    else:
        assert allowed and result.target in Status.values


@given(st.lists(st.tuples(st.sampled_from(sorted(wf.BY_ACTION)), st.sampled_from(ROLES)), max_size=40),
       st.sampled_from(ENTRY))
def test_random_walks_stay_inside_the_table(steps, start):
    status = start
    for action, role in steps:
        options = {t.action for t in wf.available(status, role)}
        try:
            status = wf.check(status, action, role).target
            assert action in options
        except wf.TransitionRefused:
            assert action not in options
        assert status in Status.values


def test_a_role_that_never_takes_the_action_is_told_so_in_any_state():
    """The API answers 403 (not 409, a conflict with the state) to a role that may not act at all."""
    for status in (Status.RECEIVED, Status.CLOSED):
        with pytest.raises(wf.RoleRefused, match="您的角色不能执行“归档”"):
            wf.check(status, "archive", "station_clerk")
    with pytest.raises(wf.TransitionRefused) as exc:
        wf.check(Status.RECEIVED, "archive", "center_reviewer")
    assert not isinstance(exc.value, wf.RoleRefused)
