"""The one way a case comes into being, whatever the door: the counter, a station, the public site, the API, and
(next) an organ's notice or a forwarding from custody. Each door validates its own input and finds or registers
the people; this service takes the number, writes the row, sets the green channel from the rules, starts the
clocks the door calls for, records the first event and the audit entry, and issues the receipt documents."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service, before_commit
from fayuan.deadlines import services as deadlines
from fayuan.eligibility.models import CaseType
from fayuan.org.models import Center, Station
from fayuan.people.models import Person

from .. import numbering
from ..models import Case, DocumentKind, Status
from .documents import document_issue
from .review import assess
from .transitions import record_event

# What an application hands the applicant: the form as recorded and the receipt of the materials.
APPLICATION_DOCUMENTS = (DocumentKind.APPLICATION_FORM, DocumentKind.RECEIPT)

# The number a case carries inside its creating transaction until it is numbered; nobody outside ever sees it.
# Letters only: a run of digits could look like an ID number to the checks on clock references.
PROVISIONAL_NUMBER_PREFIX = "待编号-"
_LETTERS_FOR_DIGITS = str.maketrans("0123456789", "ghijklmnop")


@atomic_service
def case_create(
    *,
    actor: User | None,
    center: Center,
    channel: str,
    applicant: Person,
    data: Any,
    cleaned: dict[str, Any],
    received_at: dt.datetime,
    agent: Person | None = None,
    agent_relationship: str = "",
    station: Station | None = None,
    status: str = Status.RECEIVED,
    received_by: User | None = None,
    clocks: tuple[str, ...] = ("application_received",),
    documents: Iterable[str] = APPLICATION_DOCUMENTS,
    event_payload: dict[str, Any] | None = None,
) -> Case:
    """Create a case from validated input. ``data`` is an ``ApplicationInput`` (or anything with its fields) and
    ``cleaned`` what ``validate_application`` returned for it; ``clocks`` are the deadline events the door starts
    (``application_received`` at a center, ``station_received`` at a station, a notice's own clock later)."""
    if agent is not None and agent.pk == applicant.pk:
        raise ValidationFailed("代理申请人不能是申请人本人。", field="agent_id")
    on = timezone.localdate(received_at)
    criminal = data.case_type == CaseType.CRIMINAL
    provisional = PROVISIONAL_NUMBER_PREFIX + uuid.uuid4().hex.translate(_LETTERS_FOR_DIGITS)
    case = Case.objects.create(
        number=provisional, center=center, receiving_station=station, channel=channel, status=status,
        applicant=applicant, agent=agent, agent_relationship=agent_relationship if agent else "",
        case_type=data.case_type, criminal_stage=data.criminal_stage if criminal else "",
        criminal_ground=data.criminal_ground if criminal else "", in_custody=data.in_custody,
        matter="" if criminal else data.matter, matter_summary=data.matter_summary.strip(),
        opposing_party=data.opposing_party.strip(), handling_organ=data.handling_organ.strip(),
        facts=data.facts.strip(), income_source=data.income_source, groups=sorted(set(data.groups)),
        special_facts=sorted(set(data.special_facts)), received_at=received_at, received_by=received_by, **cleaned,
    )
    # The green channel is known from the rules at intake: it decides which clocks run.
    if assess(case).green_channel:
        case.green_channel = True
        case.save(update_fields=["green_channel"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, detail={"channel": channel})
    record_event(actor=actor, case=case, kind="received", at=received_at,
                 payload={"channel": channel, "station": station.pk if station else None, **(event_payload or {})},
                 emits=clocks)
    for kind in documents:
        document_issue(actor=actor, case=case, kind=kind)
    # The number comes from the center's counter row, locked until commit: taken last, after every other write of
    # the whole request, so the next application of the center waits only for this commit, not for this submit.
    # Still in the same transaction: a rollback returns the number (gap-free, in the order applications commit).
    before_commit(lambda: _number(case, on.year))
    return case


def _number(case: Case, year: int) -> None:
    provisional = case.number
    case.number = numbering.format_number(
        center=case.center, year=year, series=numbering.SERIES_CASE,
        number=numbering.take_number(center=case.center, year=year, series=numbering.SERIES_CASE),
    )
    Case.objects.filter(pk=case.pk, number=provisional).update(number=case.number)
    deadlines.deadline_reference_set(subject=case, reference=case.number)
