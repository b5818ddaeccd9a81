"""Every write to a case goes through these services (one module per stage of the lifecycle)."""

from .assignment import (
    agreement_record,
    assignment_accept,
    assignment_decline,
    case_assign,
    case_change_provider,
    rank_for_case,
)
from .choice import (
    CHOOSE_AGAIN,
    case_assign_by_client_choice,
    case_prefer_provider,
    client_choice_expire,
    honour_preference,
)
from .documents import document_issue
from .files import case_file_add
from .handling import case_archive, closing_review, closing_submit, progress_record
from .intake import (
    ApplicationInput,
    case_forward,
    case_receive,
    case_start_review,
    case_withdraw,
    supplement_expire_overdue,
    supplement_receive,
    supplement_request,
)
from .review import aid_first_confirm, case_assess, case_decide, case_terminate, objection_decide, objection_file

__all__ = [
    "CHOOSE_AGAIN",
    "ApplicationInput",
    "agreement_record",
    "aid_first_confirm",
    "assignment_accept",
    "assignment_decline",
    "case_archive",
    "case_assess",
    "case_assign",
    "case_assign_by_client_choice",
    "case_change_provider",
    "case_decide",
    "case_file_add",
    "case_forward",
    "case_prefer_provider",
    "case_receive",
    "case_start_review",
    "case_terminate",
    "case_withdraw",
    "client_choice_expire",
    "closing_review",
    "closing_submit",
    "document_issue",
    "honour_preference",
    "objection_decide",
    "objection_file",
    "progress_record",
    "rank_for_case",
    "supplement_expire_overdue",
    "supplement_receive",
    "supplement_request",
]
