"""Replays a year of legal aid work through the services, in time order, at the times it happened.

Every step of every case plan (``cases.py``), every consultation (``consultations.py``) and the daily job that
treats unanswered supplement requests as withdrawn are put on one timeline and run in order of their time, each
inside ``time_machine.travel(moment)`` and its own transaction. So events, deadlines, document numbers, audit entries
and notifications all carry the moment they belong to, and the audit log's times rise with its sequence.

Nothing here writes a case, an event or an assignment: the services do, with their checks. When a service refuses a
step (a provider is full, nobody else may take the case), the case stays where it is and its later steps are
dropped; that is recorded and reported, never worked around.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

import time_machine
from django.db import connection, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases import services
from fayuan.cases.models import AssignmentMethod, Case
from fayuan.core.errors import Conflict, DomainError
from fayuan.quality.services import discussion_missing, discussion_record

from . import casedata as cd
from . import consultations as consult
from .cases import TZ, CasePlan, Step, World

DAILY_JOB_TIME = dt.time(0, 20)


@dataclass
class Actors:
    reviewers: dict[str, User]  # center key -> the center's demo reviewer
    director: User | None  # the home center's director signs some terminations and archives
    home_key: str
    clerks: dict[int, User]  # station pk -> clerk
    lawyers: dict[int, User]  # provider pk -> the account acting for the provider
    bureaus: dict[str, User]  # center key -> the justice bureau that set the center up (decides objections)


@dataclass
class HistoryResult:
    steps: int = 0
    consultations: int = 0
    expired: int = 0
    full: int = 0  # assignments (or changes) refused because every eligible provider was at capacity
    choice_fallbacks: int = 0  # the chosen provider was full or not eligible: assigned by rotation instead
    failures: list[str] = field(default_factory=list)  # unexpected refusals by a service
    off_plan: list[str] = field(default_factory=list)  # cases that ran every step yet ended elsewhere than planned
    by_kind: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


class _Runner:
    def __init__(self, world: World, actors: Actors, result: HistoryResult) -> None:
        self.w, self.a, self.result = world, actors, result
        self.providers: dict[int | None, int] = {}  # case pk -> current provider, forgotten when it may change

    # Actors ------------------------------------------------------------------------------------------------------

    def reviewer(self, p: CasePlan, senior: bool = False) -> User:
        if senior and p.center_key == self.a.home_key and self.a.director is not None:
            return self.a.director
        return self.a.reviewers[p.center_key]

    def lawyer(self, p: CasePlan) -> User:
        """The account of the provider the rotation (or the recipient) picked: known only at run time."""
        case_id = p.case_id
        if case_id is None:  # pragma: no cover -- provider steps come after a successful receipt
            raise ValueError(f"case plan {p.index} has no case")
        if case_id not in self.providers:
            self.providers[case_id] = Case.objects.values_list("provider_id", flat=True).get(pk=case_id)
        return self.a.lawyers[self.providers[case_id]]

    def clerk(self, p: CasePlan) -> User:
        assert p.station_id is not None  # noqa: S101 -- only station cases have clerk steps
        return self.a.clerks[p.station_id]

    # Steps -------------------------------------------------------------------------------------------------------

    def case_step(self, step: Step) -> None:
        p = step.plan
        if p.halted:
            return
        try:
            with transaction.atomic():
                self._do(step, p)
        except DomainError as exc:
            self._refused(step, p, exc)
        else:
            self.result.steps += 1
            self.result.by_kind[step.kind] += 1
        if step.kind in ("assign", "decline", "change_provider"):
            self.providers.pop(p.case_id, None)

    def _refused(self, step: Step, p: CasePlan, exc: DomainError) -> None:
        if step.kind in ("assign", "change_provider") and isinstance(exc, Conflict):
            # Every provider who may take the case is at capacity: a real state, left as it is.
            p.halted = "full"
            self.result.full += 1
            return
        p.halted = f"{step.kind}: {exc.message}"
        self.result.failures.append(f"案件计划 {p.index}（{p.target}）在“{step.kind}”被拒绝：{exc.message}")

    def _do(self, step: Step, p: CasePlan) -> None:
        k, kw, s = step.kind, step.params, services
        if k == "receive":
            actor = self.a.clerks[p.station_id] if p.station_id is not None else self.reviewer(p)
            case = s.case_receive(actor=actor, data=s.ApplicationInput(**p.data), received_at=step.at)
            p.case_id, p.public_id = case.pk, case.public_id
            return
        pid = p.public_id
        if k == "forward":
            s.case_forward(actor=self.clerk(p), public_id=pid)
        elif k == "start_review":
            s.case_start_review(actor=self.reviewer(p), public_id=pid)
        elif k == "withdraw":
            actor = self.clerk(p) if kw.get("by_clerk") else self.reviewer(p)
            s.case_withdraw(actor=actor, public_id=pid, reason=kw["reason"])
        elif k == "supplement_request":
            s.supplement_request(actor=self.reviewer(p), public_id=pid, items=kw["items"])
        elif k == "supplement_receive":
            actor = self.clerk(p) if p.station_id is not None else self.reviewer(p)
            s.supplement_receive(actor=actor, public_id=pid, note="申请人已按通知补齐材料。")
        elif k == "decide":
            s.case_decide(actor=self.reviewer(p), public_id=pid, kind=kw["kind"])
        elif k == "assign":
            self._assign(p)
        elif k == "accept":
            s.assignment_accept(actor=self.lawyer(p), public_id=pid)
        elif k == "decline":
            s.assignment_decline(actor=self.lawyer(p), public_id=pid, reason=kw["reason"])
        elif k == "agreement":
            s.agreement_record(actor=self.lawyer(p), public_id=pid, signed_on=kw["signed_on"])
        elif k == "aid_first_confirm":
            s.aid_first_confirm(actor=self.reviewer(p), public_id=pid, reasons=cd.AID_FIRST_CONFIRM)
        elif k == "progress":
            s.progress_record(actor=self.lawyer(p), public_id=pid, kind=kw["kind"], occurred_on=kw["occurred_on"],
                              summary=kw["summary"], court=kw.get("court", ""), hearing_at=kw.get("hearing_at"))
        elif k == "closing_submit":
            self._discuss_if_needed(p)
            s.closing_submit(actor=self.lawyer(p), public_id=pid, outcome=kw["outcome"], report=kw["report"],
                             money_recovered=kw["money_recovered"], money_saved=kw["money_saved"])
        elif k == "closing_review":
            s.closing_review(actor=self.reviewer(p), public_id=pid, accept=kw["accept"], notes=kw["notes"])
        elif k == "archive":
            s.case_archive(actor=self.reviewer(p, senior=p.index % 3 == 0), public_id=pid)
        elif k == "terminate":
            s.case_terminate(actor=self.reviewer(p, senior=True), public_id=pid, reason=kw["reason"],
                             explanation=kw["explanation"], provider_report=kw["provider_report"])
        elif k == "objection_file":
            s.objection_file(actor=self.reviewer(p), public_id=pid, grounds=kw["grounds"])
        elif k == "objection_decide":
            s.objection_decide(actor=self.a.bureaus[p.center_key], public_id=pid, uphold=kw["uphold"],
                               reasons=kw["reasons"])
        elif k == "change_provider":
            s.case_change_provider(actor=self.reviewer(p), public_id=pid, reason=kw["reason"])
        else:  # pragma: no cover -- a planner bug
            raise ValueError(k)

    def _discuss_if_needed(self, p: CasePlan) -> None:
        """A major or difficult case is discussed by the center before it closes (quality's closing check)."""
        case = Case.objects.filter(pk=p.case_id).first() if p.case_id is not None else None
        if case is None or discussion_missing(case) is None:
            return
        discussion_record(actor=self.reviewer(p, senior=True), public_id=p.public_id,
                          held_on=timezone.localdate(), participants=cd.DISCUSSION_PARTICIPANTS,
                          opinions=cd.DISCUSSION_OPINIONS, conclusion=cd.DISCUSSION_CONCLUSION)

    def _assign(self, p: CasePlan) -> None:
        if p.choice is not None:
            try:
                with transaction.atomic():
                    services.case_assign(actor=self.reviewer(p), public_id=p.public_id, provider_id=p.choice,
                                         method=AssignmentMethod.CLIENT_CHOICE)
                return
            except DomainError:
                # The chosen lawyer is full (or may not take this case): the center assigns by rotation.
                self.result.choice_fallbacks += 1
        services.case_assign(actor=self.reviewer(p), public_id=p.public_id)

    def daily_job(self, day: dt.date) -> None:
        self.result.expired += services.supplement_expire_overdue(on=day)

    def consultation(self, plan: consult.ConsultationPlan) -> None:
        actor = consult.recorder(plan, self.a.reviewers, self.a.clerks)
        try:
            consult.record(plan, actor)
        except DomainError as exc:
            self.result.failures.append(f"咨询 {plan.index} 被拒绝：{exc.message}")
        else:
            self.result.consultations += 1


def timeline(world: World, plans: list[CasePlan], consultations: list[consult.ConsultationPlan],
             runner: _Runner) -> list[tuple[dt.datetime, int, Callable[[], None]]]:
    events: list[tuple[dt.datetime, int, Callable[[], None]]] = []
    seq = 0

    def add(at: dt.datetime, fn: Callable[[], None]) -> None:
        nonlocal seq
        events.append((at, seq, fn))
        seq += 1

    for plan in plans:
        for step in plan.steps:
            add(step.at, partial(runner.case_step, step))
    for c in consultations:
        add(c.at, partial(runner.consultation, c))
    day = world.start
    while day <= world.today:
        at = dt.datetime.combine(day, DAILY_JOB_TIME, tzinfo=TZ)
        if at <= world.now:
            add(at, partial(runner.daily_job, day))
        day += dt.timedelta(days=1)
    events.sort(key=lambda e: (e[0], e[1]))
    return events


@contextmanager
def _relaxed_sync() -> Iterator[None]:
    """On SQLite, sync the write-ahead log at checkpoints rather than at each of the ~20,000 commits.

    Every step commits on its own (so that its after-commit notifications carry its time), and with
    ``synchronous=FULL`` each commit waits for the disk (about 4 ms here, some 80 seconds over the run). ``NORMAL`` in
    WAL mode keeps the database consistent; a power cut could only lose the last steps of a demo load. The setting is
    restored after.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(before)}")


def run_history(world: World, plans: list[CasePlan], consultations: list[consult.ConsultationPlan],
                actors: Actors, progress: Callable[[str], None] | None = None,
                extra: Sequence[tuple[dt.datetime, Callable[[], None]]] = (),
                on_step: Callable[[int, int, dt.datetime], None] | None = None) -> HistoryResult:
    """``extra``: other timed steps (e.g. organs' notices, ``notices.py``) run on the same timeline, in time order.
    ``on_step(done, total, moment)``: called every half percent or so, outside the replayed moment (real time).

    Each step commits on its own (a few tens of milliseconds), never the whole year in one transaction: the web
    server and the worker write the same SQLite file while ``make run`` replays in the background, and each of
    their writes waits only for the step in hand (the busy timeout is 20 seconds)."""
    result = HistoryResult()
    runner = _Runner(world, actors, result)
    events = timeline(world, plans, consultations, runner)
    if extra:
        events = sorted([*events, *((at, len(events) + n, fn) for n, (at, fn) in enumerate(extra))],
                        key=lambda e: (e[0], e[1]))
    started = time.monotonic()
    tenth = max(len(events) // 10, 1)
    tick = max(len(events) // 200, 1)
    with _relaxed_sync():
        for n, (at, _, fn) in enumerate(events, start=1):
            with time_machine.travel(at, tick=False):
                fn()
            if progress is not None and n % tenth == 0:
                progress(f"  …{n * 100 // len(events)}%（{at:%Y-%m-%d}，{time.monotonic() - started:.0f} 秒）")
            if on_step is not None and (n % tick == 0 or n == len(events)):
                on_step(n, len(events), at)
    result.seconds = time.monotonic() - started
    statuses: dict[int | None, str] = dict(
        Case.objects.filter(pk__in=[p.case_id for p in plans if p.case_id]).values_list("pk", "status"))
    result.off_plan = [f"案件计划 {p.index}：计划为 {p.target}，实为 {statuses.get(p.case_id)}"
                       for p in plans if not p.halted and statuses.get(p.case_id) != p.target]
    return result


def describe_halts(plans: list[CasePlan]) -> Counter[str]:
    return Counter(p.halted.split(":")[0] for p in plans if p.halted)


__all__ = ["Actors", "HistoryResult", "run_history"]
