"""The periodic jobs: what runs, and when it becomes due.

A daily job is due from its time of day (local time, Asia/Shanghai) until the next day's; its period is the date.
An hourly job's period is the hour; a job with ``every`` (a few seconds to minutes) has periods of that length,
counted from midnight. The scheduler enqueues each job once per period (``scheduler.py``); a
scheduler that was down enqueues the latest missed period once when it comes back, not every missed one (each job
catches up by itself: expiry and reminders look at everything due by their date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

from fayuan.core.tasks import (
    audit_seal_export_daily,
    audit_seal_settled,
    audit_verify,
    ensure_partitions,
    rearchive_frozen_partitions,
)
from fayuan.duty.tasks import flag_duty_no_shows
from fayuan.notifications.tasks import sms_fetch_receipts, sms_requeue_stranded
from fayuan.stats.scope_cells import SUMS_EVERY
from fayuan.stats.tasks import sum_big_scopes
from fayuan.typical_cases.tasks import remind_typical_cases

from . import tasks


@dataclass(frozen=True)
class Period:
    key: str
    day: dt.date


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[Any, Any]
    description: str
    at: dt.time | None = None  # daily at this local time; None: hourly, or see ``every``
    dated: bool = False  # the task takes the period's date as ``on`` (so a late run still treats its own day)
    every: dt.timedelta | None = None  # periods of this length (a divisor of a day) instead of an hour

    def period(self, now: dt.datetime) -> Period:
        """The period due at ``now``: today's once the time of day has come, else yesterday's."""
        local = timezone.localtime(now)
        if self.every is not None:
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            step = self.every.total_seconds()
            start = midnight + dt.timedelta(seconds=(local - midnight).total_seconds() // step * step)
            return Period(start.strftime("%Y-%m-%dT%H:%M:%S"), local.date())
        if self.at is None:
            return Period(local.strftime("%Y-%m-%dT%H"), local.date())
        day = local.date() if local.time() >= self.at else local.date() - dt.timedelta(days=1)
        return Period(day.isoformat(), day)

    def kwargs(self, period: Period) -> dict[str, Any]:
        return {"on": period.day.isoformat()} if self.dated else {}


# How often the audit log is sealed: with the scheduler's 30-second tick, an entry is sealed at most about 90
# seconds after it commits (docs/audit.md).
AUDIT_SEAL_EVERY = dt.timedelta(minutes=1)

JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("seal_audit", audit_seal_settled, "封存已提交的审计记录", every=AUDIT_SEAL_EVERY),
    PeriodicJob("sum_big_scopes", sum_big_scopes, "汇总中心众多的范围的看板、报表和经费数字", every=SUMS_EVERY),
    PeriodicJob("expire_supplements", tasks.expire_supplements, "补充材料逾期视为撤回", dt.time(0, 10), dated=True),
    PeriodicJob("lapse_client_choice", tasks.lapse_client_choice, "点援制选择期满，按轮换指派", dt.time(0, 15),
                dated=True),
    # Before the check, so the check compares the seals with a file that includes today's.
    PeriodicJob("export_audit_seal", audit_seal_export_daily, "导出最新审计封存到审计员保存的文件", dt.time(1, 50)),
    PeriodicJob("verify_audit", audit_verify, "校验审计哈希链", dt.time(2, 0)),
    PeriodicJob("purge_sign_in_codes", tasks.purge_sign_in_codes, "清理过期登录验证码", dt.time(3, 0)),
    PeriodicJob("purge_expired_sessions", tasks.purge_expired_sessions, "清理已过期的登录会话", dt.time(3, 5)),
    PeriodicJob("purge_stale_drafts", tasks.purge_stale_drafts, "清理长期未提交的网上申请草稿", dt.time(3, 10)),
    PeriodicJob("purge_orphan_uploads", tasks.purge_orphan_upload_files, "清理无记录引用的上传文件",
                dt.time(3, 15)),
    PeriodicJob("purge_task_records", tasks.purge_task_records, "清理一个月前的后台任务记录", dt.time(3, 20)),
    # Years are made two years ahead, so a missed run or a day's failure never leaves a year without its partition.
    PeriodicJob("ensure_partitions", ensure_partitions, "按年分区：预建后续年度、拆出默认分区中的旧年度",
                dt.time(3, 25)),
    PeriodicJob("anonymize_expired_cases", tasks.anonymize_expired_cases,
                "保管期满的归档案件、权利告知、值班法律帮助记录及其人员匿名化",
                dt.time(3, 30), dated=True),
    # After the anonymization: a frozen year it changed gets a new archive file without the removed data.
    PeriodicJob("rearchive_frozen_partitions", rearchive_frozen_partitions, "重新归档因匿名化而改动的封存年度",
                dt.time(4, 30)),
    # In the morning, when someone is there to act on a reminder (not at midnight).
    PeriodicJob("send_deadline_reminders", tasks.send_deadline_reminders, "期限提醒（站内与短信）", dt.time(8, 0),
                dated=True),
    # Periods counted in hours (art. 39's 24 hours to forward from custody) are reminded within hours of the instant.
    PeriodicJob("send_hour_deadline_reminders", tasks.send_hour_deadline_reminders,
                "以小时计算的期限提醒（到期前4小时内）"),
    PeriodicJob("sms_requeue_stranded", sms_requeue_stranded, "重新排队丢失任务的短信"),
    # Pulled (no public callback URL to protect); a message still unreported after 72 hours is marked unknown.
    PeriodicJob("sms_fetch_receipts", sms_fetch_receipts, "查询已发短信的送达回执"),
    # After midnight: every duty of the days before is over (its period's date: a late run still treats its day).
    PeriodicJob("flag_duty_no_shows", flag_duty_no_shows, "值班日已过未签到的标记为缺勤", dt.time(0, 40), dated=True),
    # Plan point 20 (每月底报送): from the quota's reminder day, once per center and month.
    PeriodicJob("remind_typical_cases", remind_typical_cases, "提醒未报送本月典型案例的中心", dt.time(8, 30),
                dated=True),
)

DAILY_JOBS = tuple(job for job in JOBS if job.at is not None)
