"""The periodic jobs: what runs, and when it becomes due.

A daily job is due from its time of day (local time, Asia/Shanghai) until the next day's; its period is the date.
An hourly job's period is the hour. The scheduler enqueues each job once per period (``scheduler.py``); a
scheduler that was down enqueues the latest missed period once when it comes back, not every missed one (each job
catches up by itself: expiry and reminders look at everything due by their date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

from fayuan.core.tasks import audit_verify
from fayuan.notifications.tasks import sms_requeue_stranded

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
    at: dt.time | None = None  # daily at this local time; None: hourly
    dated: bool = False  # the task takes the period's date as ``on`` (so a late run still treats its own day)

    def period(self, now: dt.datetime) -> Period:
        """The period due at ``now``: today's once the time of day has come, else yesterday's."""
        local = timezone.localtime(now)
        if self.at is None:
            return Period(local.strftime("%Y-%m-%dT%H"), local.date())
        day = local.date() if local.time() >= self.at else local.date() - dt.timedelta(days=1)
        return Period(day.isoformat(), day)

    def kwargs(self, period: Period) -> dict[str, Any]:
        return {"on": period.day.isoformat()} if self.dated else {}


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("expire_supplements", tasks.expire_supplements, "补充材料逾期视为撤回", dt.time(0, 10), dated=True),
    PeriodicJob("lapse_client_choice", tasks.lapse_client_choice, "点援制选择期满，按轮换指派", dt.time(0, 15),
                dated=True),
    PeriodicJob("verify_audit", audit_verify, "校验审计哈希链", dt.time(2, 0)),
    PeriodicJob("purge_sign_in_codes", tasks.purge_sign_in_codes, "清理过期登录验证码", dt.time(3, 0)),
    PeriodicJob("purge_stale_drafts", tasks.purge_stale_drafts, "清理长期未提交的网上申请草稿", dt.time(3, 10)),
    PeriodicJob("purge_orphan_uploads", tasks.purge_orphan_upload_files, "清理无记录引用的上传文件",
                dt.time(3, 15)),
    PeriodicJob("purge_task_records", tasks.purge_task_records, "清理一个月前的后台任务记录", dt.time(3, 20)),
    PeriodicJob("anonymize_expired_cases", tasks.anonymize_expired_cases, "保管期满的归档案件及其人员匿名化",
                dt.time(3, 30), dated=True),
    # In the morning, when someone is there to act on a reminder (not at midnight).
    PeriodicJob("send_deadline_reminders", tasks.send_deadline_reminders, "期限提醒（站内与短信）", dt.time(8, 0),
                dated=True),
    PeriodicJob("sms_requeue_stranded", sms_requeue_stranded, "重新排队丢失任务的短信"),
)

DAILY_JOBS = tuple(job for job in JOBS if job.at is not None)
