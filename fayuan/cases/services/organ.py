"""The handling organ's own reference for a criminal case: with the organ it tells which legal aid cases are
co-defendants of one criminal case (one lawyer may not defend two of them: SPC interpretation art. 43)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.core.errors import PermissionDenied, ValidationFailed
from fayuan.core.transactions import atomic_service
from fayuan.eligibility.models import CaseType

from ..models import Case
from ..selectors import case_get_for_user
from .transitions import record_event

MAX_ORGAN_CASE_NUMBER = 60
MAX_HANDLING_ORGAN = 120
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "［": "(", "］": ")"})


def normalize_organ_case_number(value: str) -> str:
    """One spelling per number: full-width forms folded, every kind of bracket as (), no spaces.
    （2026）苏1102刑初12号, 〔2026〕苏1102刑初12号 and (2026)苏 1102 刑初 12 号 are the same number."""
    folded = unicodedata.normalize("NFKC", value or "").translate(_BRACKETS)
    return re.sub(r"\s+", "", folded)


@atomic_service
def case_set_organ_reference(*, actor: User, public_id: Any, organ_case_number: str,
                             handling_organ: str | None = None) -> Case:
    """Record (or correct) the handling organ and its case number on a criminal case."""
    if actor.role not in CENTER_ROLES and actor.role != Role.STATION_CLERK:
        raise PermissionDenied("您的角色不能登记办案机关案号。")
    case = case_get_for_user(actor, public_id, audit=False, for_update=True)
    if case.case_type != CaseType.CRIMINAL:
        raise ValidationFailed("只有刑事案件需要登记办案机关案号。", field="organ_case_number")
    number = normalize_organ_case_number(organ_case_number)
    if len(number) > MAX_ORGAN_CASE_NUMBER:
        raise ValidationFailed(f"办案机关案号不能超过 {MAX_ORGAN_CASE_NUMBER} 个字。", field="organ_case_number")
    fields = ["organ_case_number", "updated_at"]
    if handling_organ is not None:
        organ = handling_organ.strip()
        if len(organ) > MAX_HANDLING_ORGAN:
            raise ValidationFailed(f"办案机关不能超过 {MAX_HANDLING_ORGAN} 个字。", field="handling_organ")
        case.handling_organ = organ
        fields.append("handling_organ")
    if number and not case.handling_organ:
        raise ValidationFailed("请同时填写办案机关。", field="handling_organ")
    case.organ_case_number = number
    case.save(update_fields=fields)
    record_event(actor=actor, case=case, kind="organ_reference_recorded",
                 payload={"handling_organ": case.handling_organ, "organ_case_number": number})
    return case
