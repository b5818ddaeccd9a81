"""Reads: the holiday calendar as the pure module wants it, rules in force, and scoped deadline queues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.rulecache import rule_cached
from fayuan.org.models import Center

from .calendar import HolidayCalendar
from .models import RUNNING, CalendarDay, CalendarYear, CustodyCondition, Deadline, DeadlineRule, Track

UPCOMING_DAYS = 14
# Roles that see every center's queue.
ALL_CENTER_ROLES = frozenset({Role.BUREAU_SUPERVISOR})
QUEUE_ROLES = CENTER_ROLES | ALL_CENTER_ROLES


@rule_cached
def holiday_calendar() -> HolidayCalendar:
    """The official calendar from the database, rebuilt only when its rows change (the rule stamp: a year the
    bureau enters is used at once, in every process, without reloading every day row on each deadline start, the
    hot path of every case event)."""
    known = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    holidays: set[dt.date] = set()
    makeups: set[dt.date] = set()
    names: dict[dt.date, str] = {}
    for day, is_workday, name in CalendarDay.objects.values_list("date", "is_workday", "name"):
        (makeups if is_workday else holidays).add(day)
        names[day] = name
    return HolidayCalendar(known, holidays, makeups, names=names)


@dataclass(frozen=True)
class ClockEvents:
    stop: frozenset[str]
    pause: frozenset[str]
    resume: frozenset[str]


@rule_cached
def clock_events() -> ClockEvents:
    """Every event some rule is met, paused or resumed by: of every row, in force or not (a clock started under an
    older row may still run). An event outside them cannot touch a running clock, so the services need not read
    the subject's clocks for it (a new case's receipt: two locking reads saved on every submit)."""
    stop: set[str] = set()
    pause: set[str] = set()
    resume: set[str] = set()
    for stops, pauses, resumes in DeadlineRule.objects.values_list("stop_events", "pause_events", "resume_events"):
        stop.update(stops or ())
        pause.update(pauses or ())
        resume.update(resumes or ())
    return ClockEvents(frozenset(stop), frozenset(pause), frozenset(resume))


@rule_cached
def rules_for_start(*, event: str, on: dt.date, track: str, in_custody: bool | None) -> tuple[DeadlineRule, ...]:
    """The rules a start event triggers on ``on``. A green-channel track uses its own rows for an event when it has
    any (they are faster internal deadlines) and the standard rows otherwise."""
    rules = DeadlineRule.objects.in_force_on(on).filter(start_event=event)
    if in_custody is True:
        rules = rules.exclude(custody_condition=CustodyCondition.NOT_IN_CUSTODY)
    elif in_custody is False:
        rules = rules.exclude(custody_condition=CustodyCondition.IN_CUSTODY)
    by_track: dict[str, list[DeadlineRule]] = {}
    for rule in rules.order_by("code"):
        by_track.setdefault(rule.track, []).append(rule)
    if track != Track.STANDARD and by_track.get(track):
        return tuple(by_track[track])
    return tuple(by_track.get(Track.STANDARD, []))


def _open(qs: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return qs.filter(met_at__isnull=True, cancelled_at__isnull=True)


def deadlines_open_for_subject(subject: models.Model) -> QuerySet[Deadline]:
    subject_type = ContentType.objects.get_for_model(subject)
    return _open(Deadline.objects.filter(subject_type=subject_type, subject_id=subject.pk))


def deadlines_for_subject(subject: models.Model) -> QuerySet[Deadline]:
    """Every deadline of a subject, open or closed, for its detail page (the caller has already scoped the subject)."""
    subject_type = ContentType.objects.get_for_model(subject)
    return Deadline.objects.filter(subject_type=subject_type, subject_id=subject.pk).select_related("rule")


@dataclass(frozen=True)
class DeadlineQueue:
    on: dt.date
    overdue: QuerySet[Deadline]
    due_today: QuerySet[Deadline]
    upcoming: QuerySet[Deadline]


def _queue(qs: QuerySet[Deadline], on: dt.date, upcoming_days: int) -> DeadlineQueue:
    # A paused deadline is not running (e.g. awaiting supplementary materials): it is neither due nor overdue.
    qs = (qs.filter(RUNNING)
          .select_related("rule", "center", "responsible_user", "subject_type").order_by("due_on", "id"))
    return DeadlineQueue(
        on=on,
        overdue=qs.filter(due_on__lt=on),
        due_today=qs.filter(due_on=on),
        upcoming=qs.filter(due_on__gt=on, due_on__lte=on + dt.timedelta(days=upcoming_days)),
    )


def deadlines_for_center(center: Center, *, on: dt.date, upcoming_days: int = UPCOMING_DAYS) -> DeadlineQueue:
    """The open deadlines in a center's queue: overdue, due on ``on``, and due within ``upcoming_days`` after it."""
    return _queue(Deadline.objects.filter(center=center), on, upcoming_days)


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Center staff see their center's deadlines, the city bureau all, a district bureau its district center's,
    every other role none."""
    if user.role in ALL_CENTER_ROLES:
        if user.district_id is None:
            return Deadline.objects.all()
        return Deadline.objects.filter(center__district_id=user.district_id)
    if user.role in CENTER_ROLES and user.center_id is not None:
        return Deadline.objects.filter(center_id=user.center_id)
    return Deadline.objects.none()


def deadlines_for_user(user: User, on: dt.date, upcoming_days: int = UPCOMING_DAYS) -> DeadlineQueue:
    return _queue(deadlines_visible_to(user), on, upcoming_days)


def reminder_recipients(deadline: Deadline) -> list[User]:
    """Who is reminded: the responsible user while active, otherwise the center's active reviewers and directors."""
    if deadline.responsible_user is not None and deadline.responsible_user.is_active:
        return [deadline.responsible_user]
    return list(
        User.objects.filter(center_id=deadline.center_id, role__in=CENTER_ROLES, is_active=True).order_by("id")
    )


def deadlines_due_by(on: dt.date) -> QuerySet[Deadline]:
    """Open deadlines due on or before ``on`` (across all centers: for the reminder job, not for screens)."""
    return Deadline.objects.filter(RUNNING, due_on__lte=on).select_related(
        "rule", "center", "responsible_user", "subject_type"
    ).order_by("due_on", "id")


def deadlines_in_hours_due_by(at: dt.datetime) -> QuerySet[Deadline]:
    """Open, running periods counted in hours (custody forwarding's 24 hours) whose instant falls by ``at``."""
    return Deadline.objects.filter(RUNNING, due_at__isnull=False, due_at__lte=at).select_related(
        "rule", "center", "responsible_user", "subject_type"
    ).order_by("due_at", "id")


def deadline_open_started_by(subject: models.Model, event: str) -> Deadline | None:
    """The subject's open deadline that ``event`` started (e.g. the supplement period), if any."""
    return (deadlines_open_for_subject(subject).filter(rule__start_event=event).select_related("rule")
            .order_by("-id").first())
