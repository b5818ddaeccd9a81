"""What a case event sets off: deadline clocks (in the same transaction) and messages (after commit)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES
from fayuan.deadlines import services as deadlines
from fayuan.notifications.services import notification_send

from ..models import Case

log = logging.getLogger(__name__)

# Events after which a case needs no more clocks at all.
ENDING_EVENTS = frozenset({"withdrawn", "terminated", "archived"})


def emit(*, case: Case, event: str, at: dt.datetime, actor: User | None) -> None:
    """Stop every clock this event satisfies, pause or resume the ones it pauses or resumes, then start every clock it
    begins (rules in force that day, from the event's instant for clocks in hours)."""
    deadlines.deadline_stop(subject=case, event=event, at=at, actor=actor)
    deadlines.deadline_pause_resume(subject=case, event=event, at=at, actor=actor)
    if event in ENDING_EVENTS:
        deadlines.deadline_cancel_all(subject=case, actor=actor, reason=event)
        return
    deadlines.deadline_start(
        subject=case, event=event, on=timezone.localdate(at), at=at, center=case.center,
        track="green_channel" if case.green_channel else "standard", custody=case.in_custody,
        reference=case.number, actor=actor,
    )


_MESSAGES = {
    "forward": ("新的法律援助申请", "工作站转交了申请 {number}，请在法定期限内审查。"),
    "grant": ("待指派", "申请 {number} 已决定给予法律援助，请在三日内指派承办人员。"),
    "provide_aid_first": ("先行提供法律援助", "申请 {number} 决定先行提供法律援助，请尽快指派。"),
    "decline": ("承办人员拒绝指派", "案件 {number} 的承办人员拒绝了指派，请重新指派。"),
    "submit_closing": ("待审查结案材料", "案件 {number} 已提交结案材料，请审查。"),
    "object": ("新的异议", "案件 {number} 的申请人提出异议，请在五日内审查。"),
}


def notify_after_transition(*, case_id: int, action: str) -> None:
    """In-app messages to the people who must act next. Runs after commit; a failure is logged, not raised."""
    from fayuan.portal.services import notify_applicant  # the applicant's SMS and inbox (public site)

    notify_applicant(case_id, action)
    try:
        case = Case.objects.select_related("center", "provider").get(pk=case_id)
        if action == "assign" or action == "change_provider":
            recipients = list(User.objects.filter(provider=case.provider, is_active=True)) if case.provider else []
            title, body = "新的指派", "您被指派承办法律援助案件 {number}，请及时接受并在五日内签订委托协议。"
        elif action in _MESSAGES:
            title, body = _MESSAGES[action]
            if action == "object":
                recipients = list(User.objects.filter(role="bureau_supervisor", is_active=True))
            else:
                recipients = list(User.objects.filter(center=case.center, role__in=CENTER_ROLES, is_active=True))
        else:
            return
        for user in recipients:
            notification_send(user=user, title=title, body=body.format(number=case.number),
                              link=f"/office/cases/{case.public_id}/")
    except Exception:
        log.exception("case notification failed (case %s, action %s)", case_id, action)
