"""What the case app itself does after its events: tell the staff who must act next (in-app, after commit)."""

from __future__ import annotations

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, CENTER_ROLES
from fayuan.core import events
from fayuan.notifications.services import notification_send

from .models import Case
from .selectors import GRANTING_EVENTS

_MESSAGES = {
    "forward": ("新的法律援助申请", "工作站转交了申请 {number}，请在法定期限内审查。"),
    "grant": ("待指派", "申请 {number} 已决定给予法律援助，请在三日内指派承办人员。"),
    "provide_aid_first": ("先行提供法律援助", "申请 {number} 决定先行提供法律援助，请尽快指派。"),
    "decline": ("承办人员拒绝指派", "案件 {number} 的承办人员拒绝了指派，请重新指派。"),
    "submit_closing": ("待审查结案材料", "案件 {number} 已提交结案材料，请审查。"),
    "object": ("新的异议", "案件 {number} 的申请人提出异议，请在五日内审查。"),
}
_ASSIGNED = ("新的指派", "您被指派承办法律援助案件 {number}，请及时接受并在五日内签订委托协议。")


def notify_next_actors(event: events.Event) -> None:
    """In-app messages to the people who must act next. After commit: re-read the case as committed."""
    from .services.review import objection_bureau

    case = Case.objects.select_related("center", "provider").filter(pk=event.payload["case_id"]).first()
    if case is None:
        return
    kind = event.kind
    if kind in ("assign", "change_provider"):
        recipients = list(User.objects.filter(provider=case.provider, is_active=True)) if case.provider else []
        title, body = _ASSIGNED
    elif kind == "object":  # to the bureau that set up the center (art. 49)
        title, body = _MESSAGES[kind]
        district, _bureau = objection_bureau(case)
        recipients = list(User.objects.filter(role__in=BUREAU_ROLES, is_active=True, district=district))
    else:
        title, body = _MESSAGES[kind]
        recipients = list(User.objects.filter(role__in=CENTER_ROLES, is_active=True, center=case.center))
    for user in recipients:
        notification_send(user=user, title=title, body=body.format(number=case.number),
                          link=f"/office/cases/{case.public_id}/")


def assign_preferred_provider(event: events.Event) -> None:
    """点援制 ahead of the decision: once aid is granted, the provider the recipient chose is assigned."""
    from .services.choice import honour_preference  # services import this module's neighbours, not the reverse

    honour_preference(case_id=event.payload["case_id"])


def register() -> None:
    for kind in (*_MESSAGES, "assign", "change_provider"):
        events.subscribe(f"case.{kind}", notify_next_actors, phase=events.AFTER_COMMIT)
    for kind in GRANTING_EVENTS:
        events.subscribe(f"case.{kind}", assign_preferred_provider, phase=events.AFTER_COMMIT)
