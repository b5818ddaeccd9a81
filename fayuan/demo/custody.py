"""Demo forwardings of detained persons' applications (Legal Aid Law art. 39) and the police's rights
notifications (plan point 1), replayed through the custody services over the last four weeks: most forwarded
within hours, one late, one still waiting past its 24 hours (the breach report has something to show), one recent
still within them. Deterministic; added once (skipped when the database already holds forwardings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fayuan.accounts.models import User
from fayuan.custody import services
from fayuan.custody.models import Forwarding, NotificationMethod, NotificationOccasion, RightsNotification

from .names import person_name, rng

H = dt.timedelta(hours=1)
# (days ago received, hour of day, hours until forwarded or None: not yet)
FORWARDINGS = [(26, 10, 3), (22, 16, 5), (19, 21, 11), (15, 9, 2), (12, 23, 26), (9, 14, 1), (6, 8, 4),
               (2, 6, None), (0, -3, None)]
CHARGES = ["涉嫌盗窃罪", "涉嫌诈骗罪", "涉嫌危险驾驶罪", "涉嫌故意伤害罪", "涉嫌帮助信息网络犯罪活动罪",
           "涉嫌寻衅滋事罪", "涉嫌掩饰、隐瞒犯罪所得罪"]


@dataclass
class CustodyResult:
    forwardings: int = 0
    notifications: int = 0


def replay_custody(users: dict[str, User], now: dt.datetime) -> CustodyResult:
    result = CustodyResult()
    if Forwarding.objects.exists() or RightsNotification.objects.exists():
        return result
    r = rng("custody")
    police, duty = users["demo_police"], users["demo_duty"]
    for i, (days, hour, forwarded_after) in enumerate(FORWARDINGS):
        day = (now - dt.timedelta(days=days)).astimezone(now.tzinfo)
        received = day.replace(hour=hour % 24, minute=r.randrange(60), second=0, microsecond=0) if hour >= 0 \
            else now - (-hour) * H
        received = min(received, now - H)
        actor = duty if i % 4 == 3 else police
        year = received.year
        forwarding = services.forwarding_record(actor=actor, now=now, data=services.ForwardingInput(
            name=person_name(r, r.choice("MF"), r.randrange(1965, 2004)), criminal_stage="investigation",
            matter_summary=f"{r.choice(CHARGES)}，申请指派辩护律师", received_at=received, forward_now=False,
            organ_case_number=f"京公刑字〔{year}〕{300 + i}号" if actor is police else ""))
        if forwarded_after is not None and received + forwarded_after * H <= now:
            services.forwarding_forward(actor=actor, public_id=forwarding.public_id,
                                        at=received + forwarded_after * H)
        result.forwardings += 1
    # Rights notifications: twelve suspects in eight cases, most told in writing at the first interrogation.
    for i in range(12):
        notified = now - dt.timedelta(days=27 - 2 * i, hours=r.randrange(1, 10))
        method = (NotificationMethod.WRITTEN, NotificationMethod.WRITTEN, NotificationMethod.ORAL_SIGNED,
                  NotificationMethod.ORAL)[i % 4]
        services.rights_notification_record(actor=police, now=now, data=services.NotificationInput(
            suspect_name=person_name(r, r.choice("MF"), r.randrange(1965, 2004)),
            organ_case_number=f"京公刑字〔{notified.year}〕{300 + i * 2 // 3}号",
            occasion=NotificationOccasion.FIRST_INTERROGATION if i % 3 else
            NotificationOccasion.FIRST_COMPULSORY_MEASURE, method=method, notified_at=notified,
            applied=i % 5 == 0))
        result.notifications += 1
    return result
