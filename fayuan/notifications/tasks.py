"""SMS delivery as background tasks."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from fayuan.core.background import retrying

from .models import SmsMessage, SmsStatus
from .sms import MAX_ATTEMPTS, sms_message_deliver, sms_receipts_fetch

# A message neither sent nor given up, untouched this long, lost its task (the process that committed it died
# before enqueueing, or the queue row was pruned): the sweep enqueues it again. Far longer than the retries' waits.
STRANDED_AFTER = dt.timedelta(hours=1)
SWEEP_WINDOW = dt.timedelta(days=2)


@task(priority=10)  # ahead of renders and housekeeping: a sign-in code is awaited on a phone
@retrying(attempts=MAX_ATTEMPTS, base_delay=30, max_delay=600)
def sms_deliver(message_id: str) -> str:
    """Idempotent: a message already sent is not sent again, however often this runs."""
    return sms_message_deliver(message_id)


@task()
@retrying(attempts=3)
def sms_requeue_stranded() -> int:
    """Hourly: enqueue again the messages whose task went missing. Sending twice is prevented by the message's own
    status (``sms._claim``), so a message that merely waits in a long queue costs one extra no-op task."""
    now = timezone.now()
    stranded = (SmsMessage.objects.filter(status__in=[SmsStatus.QUEUED, SmsStatus.SENDING],
                                          created_at__gte=now - SWEEP_WINDOW)
                .annotate(touched=Coalesce("last_attempt_at", "created_at"))
                .filter(Q(touched__lt=now - STRANDED_AFTER)).values_list("pk", flat=True))
    count = 0
    for pk in stranded:
        sms_deliver.enqueue(str(pk))
        count += 1
    return count


@task()
@retrying(attempts=2)
def sms_fetch_receipts() -> dict[str, int]:
    """Hourly: pull the delivery receipts of sent messages still waiting for one (``sms.sms_receipts_fetch``)."""
    return sms_receipts_fetch()
