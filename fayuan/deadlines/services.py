"""Writes for deadlines: start on an event, stop on an event, cancel, recompute provisional ones, and remind.

Callers own the subjects (applications, cases, notices) and tell this app what happened to them with an event name
(``events.py``); this app never imports them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.rulecache import rules_changed
from fayuan.core.transactions import atomic_service, before_commit
from fayuan.notifications.selectors import sms_phone_for
from fayuan.notifications.services import notification_send
from fayuan.notifications.sms import contains_id_number, send_sms
from fayuan.org.models import Center

from . import events as ev
from . import selectors
from .calendar import HolidayCalendar, compute_due, compute_due_instant, compute_resumed, days_used
from .models import (
    RUNNING,
    CalendarDay,
    CalendarYear,
    CustodyCondition,
    Deadline,
    DeadlineRule,
    Reminder,
    ReminderChannel,
    Track,
)

# Where reminders point. config/urls.py mounts fayuan.deadlines.urls here; a bare path carries no personal data.
QUEUE_PATH = "/office/deadlines/"


def _check_date(on: Any, field: str) -> None:
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValidationFailed("请提供日期（不含时间）。", field=field)


def _check_aware(at: Any, field: str) -> None:
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise ValidationFailed("请提供带时区的时间。", field=field)


def _explain(rule: DeadlineRule, explanation: str) -> str:
    return f"{rule.name}（{rule.length_label}）。{explanation}依据：{rule.basis_with_status}"


@dataclass(frozen=True)
class _Due:
    on: dt.date
    at: dt.datetime | None
    provisional: bool
    explanation: str


def _compute(deadline: Deadline, calendar: HolidayCalendar) -> _Due:
    """Where a deadline stands on the calendar, from its rule and its own history (start, pauses, resumption)."""
    rule = deadline.rule
    if rule.in_hours:
        if deadline.started_at is None:
            raise ValidationFailed("以小时计算的期限须有起算时刻。", field="at")
        instant = compute_due_instant(timezone.localtime(deadline.started_at), rule.length, calendar)
        return _Due(timezone.localdate(instant.due_at), instant.due_at, False, _explain(rule, instant.explanation))
    first = compute_due(deadline.started_on, rule.length, rule.day_kind, deadline.custody, calendar)
    if deadline.paused_at is not None:
        # Stopped: the due day is not known until the clock resumes; the day shown stays the one before the pause.
        return _Due(deadline.due_on, None, deadline.provisional,
                    _explain(rule, first.explanation + deadline.pause_note))
    if deadline.resumed_on is not None and deadline.days_left is not None:
        again = compute_resumed(deadline.resumed_on, deadline.days_left, rule.day_kind, deadline.custody, calendar)
        return _Due(again.due, None, again.provisional,
                    _explain(rule, first.explanation + deadline.pause_note + again.explanation))
    return _Due(first.due, None, first.provisional, _explain(rule, first.explanation))


def _keep_next_due(subject_type: ContentType, subject_id: Any, subject: models.Model | None = None) -> None:
    """A subject whose model has a ``next_due`` date field (the case) carries the earliest due date of its running
    deadlines (a paused one is neither due nor overdue), so that lists sorted by urgency read one indexed column at
    any size instead of a subquery per row. Kept here, once per subject at the end of the transaction that changed
    its deadlines."""
    model = subject_type.model_class()
    if model is None or "next_due" not in {f.name for f in model._meta.concrete_fields}:
        return

    def refresh() -> None:
        earliest = (Deadline.objects.filter(RUNNING, subject_type=subject_type, subject_id=subject_id)
                    .order_by("due_on").values_list("due_on", flat=True).first())
        model._default_manager.filter(pk=subject_id).update(next_due=earliest)
        if subject is not None:
            subject.next_due = earliest  # type: ignore[attr-defined]  # a later save of it keeps the value

    before_commit(refresh, key=("next_due", subject_type.pk, subject_id))


@atomic_service
def deadline_start(
    *,
    subject: models.Model,
    event: str,
    on: dt.date,
    center: Center,
    at: dt.datetime | None = None,
    track: str = Track.STANDARD,
    custody: bool | None = None,
    responsible_user: User | None = None,
    reference: str = "",
    actor: Any = None,
) -> list[Deadline]:
    """Start every rule in force on ``on`` whose start event is ``event`` for the track; return the new deadlines.

    ``custody`` says whether the person concerned is in custody: such a period is never extended by holidays, and
    some events have separate rules for people in and out of custody (then it must be given). A rule marked custody
    is counted that way whatever is passed. Idempotent: a rule already open for the subject is not started again.
    ``reference`` is a short case number used in reminders and SMS: never a name or an ID number.
    ``at`` is the instant of the event: a period in hours runs from it (and is refused without it).
    """
    _check_date(on, "on")
    if at is not None:
        _check_aware(at, "at")
        if timezone.localdate(at) != on:
            raise ValidationFailed("起算时刻与起算日不一致。", field="at")
    event = (event or "").strip()
    if not event:
        raise ValidationFailed("缺少起算事件。", field="event")
    if track not in Track.values:
        raise ValidationFailed("未知的程序类型。", field="track")
    if subject.pk is None:
        raise ValidationFailed("期限对象尚未保存。")
    reference = reference.strip()
    if len(reference) > 60 or contains_id_number(reference):
        raise ValidationFailed("案件编号不得超过 60 字，且不得包含身份证号码。", field="reference")
    rules = selectors.rules_for_start(event=event, on=on, track=track, in_custody=custody)
    if custody is None and any(r.custody_condition != CustodyCondition.ANY for r in rules):
        raise ValidationFailed("该事件的期限因当事人是否在押而不同，请注明当事人是否被羁押。", field="custody")
    if not rules:
        return []
    subject_type = ContentType.objects.get_for_model(subject)
    already = set(selectors.deadlines_open_for_subject(subject).values_list("rule_id", flat=True))
    calendar = selectors.holiday_calendar()
    started: list[Deadline] = []
    for rule in rules:
        if rule.pk in already:
            continue
        in_custody = rule.custody or custody is True
        if rule.in_hours and at is None:
            raise ValidationFailed(f"“{rule.name}”以小时计算，须提供起算时刻。", field="at")
        deadline = Deadline(
            subject_type=subject_type, subject_id=subject.pk, reference=reference, rule=rule, center=center,
            responsible_user=responsible_user, custody=in_custody, started_on=on, started_at=at,
        )
        due = _compute(deadline, calendar)
        deadline.due_on, deadline.due_at, deadline.provisional, deadline.explanation = (
            due.on, due.at, due.provisional, due.explanation)
        provisional, due_on = due.provisional, due.on
        try:
            with transaction.atomic():
                deadline.save(force_insert=True)
        except IntegrityError:
            # A concurrent start of the same event won the race; the open deadline exists, which is what we want.
            continue
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=deadline,
            detail={"rule": rule.code, "event": event, "subject": f"{subject_type.app_label}.{subject_type.model}",
                    "subject_id": str(subject.pk), "due_on": due_on.isoformat(), "provisional": provisional,
                    "due_at": due.at.isoformat() if due.at else None},
        )
        started.append(deadline)
    if started:
        _keep_next_due(subject_type, subject.pk, subject)
    return started


@atomic_service
def deadline_stop(*, subject: models.Model, event: str, at: dt.datetime, actor: Any = None) -> list[Deadline]:
    """Mark as met every open deadline of ``subject`` that ``event`` satisfies; return them."""
    _check_aware(at, "at")
    if event not in selectors.clock_events().stop:
        return []
    open_deadlines = (
        selectors.deadlines_open_for_subject(subject).select_for_update(of=("self",)).select_related("rule")
    )
    met: list[Deadline] = []
    for deadline in open_deadlines:
        if event not in deadline.rule.stop_events:
            continue
        deadline.met_at, deadline.met_event = at, event
        deadline.save(update_fields=["met_at", "met_event"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=deadline,
            detail={"event": event, "met_at": at.isoformat(), "late": bool(deadline.met_late)},
        )
        met.append(deadline)
    if met:
        _keep_next_due(ContentType.objects.get_for_model(subject), subject.pk, subject)
    return met


@atomic_service
def deadline_pause_resume(*, subject: models.Model, event: str, at: dt.datetime, actor: Any = None
                          ) -> list[Deadline]:
    """Pause the open deadlines whose rule names ``event`` among its pause events (keeping the days they have
    left), and resume the paused ones whose rule names it among its resume events, with those days counted from
    the day after. E.g. the 7-day decision period stops while a supplement request is open (the time the applicant
    takes to supplement materials is not counted) and goes on when the materials arrive."""
    _check_aware(at, "at")
    known = selectors.clock_events()
    if event not in known.pause and event not in known.resume:
        return []
    day = timezone.localdate(at)
    calendar: HolidayCalendar | None = None
    changed: list[Deadline] = []
    open_deadlines = (
        selectors.deadlines_open_for_subject(subject).select_for_update(of=("self",)).select_related("rule")
    )
    for deadline in open_deadlines:
        rule = deadline.rule
        pausing = event in rule.pause_events and deadline.paused_at is None
        resuming = event in rule.resume_events and deadline.paused_at is not None
        if not (pausing or resuming):
            continue
        calendar = calendar or selectors.holiday_calendar()
        if pausing:
            since = deadline.resumed_on or deadline.started_on
            had = deadline.days_left if deadline.resumed_on is not None and deadline.days_left is not None \
                else rule.length
            used = days_used(since, day, rule.day_kind, calendar)
            deadline.days_left = max(had - used, 0)
            deadline.paused_at = at
            deadline.pause_note += (f"{day.year}年{day.month}月{day.day}日{ev.label(event)}，期间暂停计算"
                                    f"（已计{min(used, had)}日，剩余{deadline.days_left}日）。")
        else:
            deadline.paused_at, deadline.resumed_on = None, day
            deadline.pause_note += f"{day.year}年{day.month}月{day.day}日{ev.label(event)}，以剩余日数恢复计算："
        due = _compute(deadline, calendar)
        deadline.due_on, deadline.provisional, deadline.explanation = due.on, due.provisional, due.explanation
        deadline.save(update_fields=["paused_at", "days_left", "resumed_on", "pause_note", "due_on", "provisional",
                                     "explanation"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=deadline,
                     detail={"event": event, "paused": pausing, "days_left": deadline.days_left,
                             "due_on": deadline.due_on.isoformat()})
        changed.append(deadline)
    if changed:
        _keep_next_due(ContentType.objects.get_for_model(subject), subject.pk, subject)
    return changed


def deadline_preview(*, event: str, on: dt.date, track: str = Track.STANDARD, custody: bool | None = None
                     ) -> list[tuple[DeadlineRule, dt.date]]:
    """The day-counted rules ``event`` would start on ``on`` and the last day each would give, counted exactly as
    ``deadline_start`` counts them (so a date shown in advance is the date the clock will show)."""
    calendar = selectors.holiday_calendar()
    rules = selectors.rules_for_start(event=event, on=on, track=track, in_custody=custody)
    return [(rule, compute_due(on, rule.length, rule.day_kind, rule.custody or custody is True, calendar).due)
            for rule in rules if not rule.in_hours]


def last_day_on_calendar(day: dt.date, *, custody: bool) -> tuple[dt.date, str]:
    """A last day chosen by hand, moved past rest days like a counted one (never for a person in custody)."""
    calendar = selectors.holiday_calendar()
    rolled = day
    while not custody and not calendar.is_workday(rolled):
        rolled += dt.timedelta(days=1)
    if rolled == day:
        return day, ""
    return rolled, (f"{day.year}年{day.month}月{day.day}日为{calendar.describe(day)}，顺延至"
                    f"{rolled.year}年{rolled.month}月{rolled.day}日。")


@atomic_service
def deadline_set_due(*, deadline: Deadline, due_on: dt.date, reason: str, actor: Any = None) -> Deadline:
    """The center fixes the last day itself (e.g. the supplement period written in its notice): the clock then
    shows that day, moved past rest days as a counted one would be, and the explanation keeps the rule's own day
    and the reason. Clocks in hours are statutory and are never set by hand."""
    _check_date(due_on, "due_on")
    if deadline.rule.in_hours:
        raise ValidationFailed("以小时计算的期限不能更改。", field="due_on")
    rolled, note = last_day_on_calendar(due_on, custody=deadline.custody)
    if rolled == deadline.due_on:
        return deadline
    old = deadline.due_on
    deadline.due_on = rolled
    deadline.explanation += (f"{reason}：中心确定的期限为{due_on.year}年{due_on.month}月{due_on.day}日"
                             f"（按规则计算为{old.year}年{old.month}月{old.day}日）。{note}")
    deadline.save(update_fields=["due_on", "explanation"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=deadline,
                 detail={"set_due": True, "due_on_was": old.isoformat(), "due_on": rolled.isoformat()})
    _keep_next_due(deadline.subject_type, deadline.subject_id)
    return deadline


@atomic_service
def deadline_cancel_all(*, subject: models.Model, actor: Any = None, reason: str = "") -> list[Deadline]:
    """Cancel the subject's open deadlines (application withdrawn, aid terminated, case closed otherwise)."""
    now = timezone.now()
    cancelled: list[Deadline] = []
    for deadline in selectors.deadlines_open_for_subject(subject).select_for_update():
        deadline.cancelled_at = now
        deadline.save(update_fields=["cancelled_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=deadline,
                     detail={"cancelled": True, "reason": reason[:100]})
        cancelled.append(deadline)
    if cancelled:
        _keep_next_due(ContentType.objects.get_for_model(subject), subject.pk, subject)
    return cancelled


@atomic_service
def deadline_set_responsible(*, deadline: Deadline, user: User, actor: Any = None) -> Deadline:
    """Name the person who must meet a clock (its reminders go to them, not to the center): e.g. the organ's liaison
    or the duty lawyer holding a detained person's application for the 24 hours until it is forwarded."""
    if deadline.met_at is not None or deadline.cancelled_at is not None:
        raise ValidationFailed("该期限已结束，不能再指定责任人。", field="responsible_user")
    if deadline.responsible_user_id == user.pk:
        return deadline
    deadline.responsible_user = user
    deadline.save(update_fields=["responsible_user"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=deadline, detail={"responsible_user": user.pk})
    return deadline


def deadline_reference_set(*, subject: models.Model, reference: str) -> int:
    """Give the subject's clocks their final reference (a case numbered at the end of its creating transaction
    started its clocks under a provisional one). Not audited: the reference is a label, the clocks are unchanged."""
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(subject),
                                   subject_id=subject.pk).update(reference=reference)


@atomic_service
def deadline_recompute_provisional(*, actor: Any = None) -> int:
    """Recompute open provisional deadlines on the current calendar (after a year's schedule is entered)."""
    calendar = selectors.holiday_calendar()
    changed = 0
    open_provisional = Deadline.objects.filter(provisional=True, met_at__isnull=True, cancelled_at__isnull=True,
                                               paused_at__isnull=True)
    for deadline in open_provisional.select_for_update(of=("self",)).select_related("rule"):
        due = _compute(deadline, calendar)
        due_on, provisional, explanation = due.on, due.provisional, due.explanation
        if (due_on, provisional, explanation) == (deadline.due_on, deadline.provisional, deadline.explanation):
            continue
        old = deadline.due_on
        deadline.due_on, deadline.provisional, deadline.explanation = due_on, provisional, explanation
        deadline.save(update_fields=["due_on", "provisional", "explanation"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=deadline,
                     detail={"recomputed": True, "due_on_was": old.isoformat(), "due_on": due_on.isoformat(),
                             "provisional": provisional})
        _keep_next_due(deadline.subject_type, deadline.subject_id)
        changed += 1
    return changed


# Names in the chinese-calendar package, in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@atomic_service
def calendar_sync_from_package(*, actor: Any = None) -> list[int]:
    """Add the years the installed chinese-calendar package knows and the database lacks (after upgrading it for a
    new year). Years already present, whether loaded or entered by hand, are left untouched."""
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", "")
    entries = [(d, False, n) for d, n in chinese_calendar.holidays.items()]
    entries += [(d, True, n) for d, n in chinese_calendar.workdays.items()]
    present = set(CalendarYear.objects.values_list("year", flat=True))
    added: list[int] = []
    for year in sorted({d.year for d, _, _ in entries} - present):
        cal_year = CalendarYear.objects.create(
            year=year, source=f"国务院办公厅节假日安排通知（chinese-calendar {version}）", complete=True
        )
        CalendarDay.objects.bulk_create([
            CalendarDay(calendar_year=cal_year, date=d, is_workday=w, name=HOLIDAY_NAMES.get(str(n), str(n)))
            for d, w, n in sorted(entries) if d.year == year
        ])
        rules_changed()  # bulk_create sends no signal: the cached calendar must not outlive these days
        audit_record(actor=actor, action=AuditAction.CREATE, obj=cal_year, detail={"source": cal_year.source})
        added.append(year)
    if added:
        deadline_recompute_provisional(actor=actor)
    return added


def _state(deadline: Deadline, on: dt.date, at: dt.datetime | None = None) -> str:
    if at is not None and deadline.due_at is not None:  # a period in hours, reminded by the hour
        if deadline.due_at <= at:
            return "已超时"
        left = deadline.due_at - at
        return f"{max(1, round(left.total_seconds() / 3600))}小时内到期"
    days = deadline.days_to_due(on)
    if days < 0:
        return f"已逾期{-days}日"
    return "今日到期" if days == 0 else "明日到期"


def reminder_texts(deadline: Deadline, on: dt.date,
                   at: dt.datetime | None = None) -> tuple[str, str, dict[str, str]]:
    """(title, body, the SMS template's values). Only the short reference, the rule and the date: no personal
    data. The SMS reads "{ref}「{rule}」期满日{due}，{state}。请登录法援平台处理。" (``deadline_reminder``)."""
    state = _state(deadline, on, at)
    ref, name, due = deadline.short_reference, deadline.rule.name, deadline.due_on.isoformat()
    if deadline.due_at is not None:  # a period in hours: the instant matters, not the day
        due = f"{timezone.localtime(deadline.due_at):%Y-%m-%d %H:%M}"
    note = "（暂定期限，节假日安排尚未录入）" if deadline.provisional else ""
    title = f"期限{state}：{name}"
    body = f"{ref}「{name}」期满日为{due}{note}，{state}。请及时处理。"
    return title, body, {"ref": ref, "rule": name, "due": due, "state": state}


def _claim(deadline: Deadline, on: dt.date, user: User, channel: str) -> bool:
    """Reserve today's reminder of this deadline for this user and channel; False if it was already sent."""
    _, created = Reminder.objects.get_or_create(deadline=deadline, sent_on=on, user=user, channel=channel)
    return created


@atomic_service
def _remind(deadline: Deadline, on: dt.date, at: dt.datetime | None = None) -> int:
    title, body, sms = reminder_texts(deadline, on, at)
    sent = 0
    for user in selectors.reminder_recipients(deadline):
        if _claim(deadline, on, user, ReminderChannel.IN_APP):
            notification_send(user=user, title=title, body=body, link=QUEUE_PATH)
            sent += 1
        phone = sms_phone_for(user)
        if phone and _claim(deadline, on, user, ReminderChannel.SMS):
            # The message row commits with the reminder's claim; it is sent after commit (a text cannot be recalled).
            send_sms(phone, template="deadline_reminder", params=sms)
            sent += 1
    return sent


# How long before a period in hours runs out its hourly reminder goes (art. 39's 24 hours: a morning reminder alone
# may come after the instant has passed).
HOUR_REMINDER_LEAD = dt.timedelta(hours=4)


def deadline_send_hour_reminders(*, at: dt.datetime, actor: Any = None) -> int:
    """The hourly job for periods counted in hours: remind of each open one that runs out within
    ``HOUR_REMINDER_LEAD`` of ``at`` (or has run out), once per user, channel and day like the morning reminders.
    Returns how many were sent."""
    _check_aware(at, "at")
    sent = 0
    for deadline in selectors.deadlines_in_hours_due_by(at + HOUR_REMINDER_LEAD):
        sent += _remind(deadline, timezone.localdate(at), at)
    if sent:
        audit_record(actor=actor, action=AuditAction.CREATE, object_type="deadlines.reminder",
                     object_id=timezone.localtime(at).strftime("%Y-%m-%dT%H"), detail={"sent": sent})
    return sent


def deadline_send_reminders(*, on: dt.date, actor: Any = None) -> int:
    """Remind about every open deadline due on or before the day after ``on``: an in-app notification to the
    responsible user (or, when none, to the center's reviewers and directors) and an SMS to those who gave a phone.
    Each deadline commits on its own, and a reminder already sent today is never sent again. Returns how many were
    sent (notifications plus texts)."""
    _check_date(on, "on")
    sent = 0
    for deadline in selectors.deadlines_due_by(on + dt.timedelta(days=1)):
        sent += _remind(deadline, on)
    if sent:
        audit_record(actor=actor, action=AuditAction.CREATE, object_type="deadlines.reminder",
                     object_id=on.isoformat(), detail={"sent": sent})
    return sent
