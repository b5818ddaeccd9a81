"""Event names that start and stop deadlines. Callers (intake, cases, criminal) pass these strings to
``deadline_start`` and ``deadline_stop``; rules name them in ``start_event`` and ``stop_events``. Rules are data, so
an event not listed here still works; the labels are for screens."""

from __future__ import annotations

APPLICATION_RECEIVED = "application_received"
DECISION_MADE = "decision_made"
AID_GRANTED = "aid_granted"
AID_REFUSED = "aid_refused"
PROVIDER_ASSIGNED = "provider_assigned"
AGREEMENT_SIGNED = "agreement_signed"
OBJECTION_FILED = "objection_filed"
OBJECTION_DECIDED = "objection_decided"
SUPPLEMENT_REQUESTED = "supplement_requested"
SUPPLEMENT_RECEIVED = "supplement_received"
STATION_RECEIVED = "station_received"
FORWARDED_TO_CENTER = "forwarded_to_center"
NOTICE_RECEIVED = "notice_received"
JUDGMENT_RECEIVED = "judgment_received"
CLOSING_SUBMITTED = "closing_submitted"

LABELS: dict[str, str] = {
    APPLICATION_RECEIVED: "收到申请",
    DECISION_MADE: "作出决定",
    AID_GRANTED: "决定给予法律援助",
    AID_REFUSED: "决定不予法律援助",
    PROVIDER_ASSIGNED: "指派承办人员",
    AGREEMENT_SIGNED: "签订委托协议",
    OBJECTION_FILED: "收到异议",
    OBJECTION_DECIDED: "作出异议审查决定",
    SUPPLEMENT_REQUESTED: "通知补充材料",
    SUPPLEMENT_RECEIVED: "收到补充材料",
    STATION_RECEIVED: "工作站收到申请",
    FORWARDED_TO_CENTER: "转交法律援助中心",
    NOTICE_RECEIVED: "收到办案机关通知",
    JUDGMENT_RECEIVED: "收到判决/裁决",
    CLOSING_SUBMITTED: "提交结案材料",
}


def label(event: str) -> str:
    return LABELS.get(event, event)
