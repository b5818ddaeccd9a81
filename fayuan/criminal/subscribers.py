"""The organ learns who was assigned (Legal Aid Law art. 36: the center assigns and tells the organ): after the
assignment commits, each active liaison of the notifying organ gets a message linking to the notice."""

from __future__ import annotations

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.core import events
from fayuan.notifications.services import notification_send

from .models import Notice


def tell_organ(event: events.Event) -> None:
    notice = (Notice.objects.select_related("organ", "case", "case__provider")
              .filter(case_id=event.payload["case_id"]).first())
    case = notice.case if notice is not None else None
    if notice is None or case is None or case.provider is None:
        return
    provider = case.provider
    for user in User.objects.filter(role=Role.ORGAN_LIAISON, organ=notice.organ, is_active=True):
        notification_send(user=user, title="法律援助中心已指派律师",
                          body=f"案件 {case.number} 已指派{provider}承办。",
                          link=f"/office/notices/{notice.public_id}/")


def register() -> None:
    from . import dutylink

    dutylink.register()  # the duty app's answers to a duty-routed notice
    for kind in ("assign", "change_provider"):
        events.subscribe(f"case.{kind}", tell_organ, phase=events.AFTER_COMMIT)
