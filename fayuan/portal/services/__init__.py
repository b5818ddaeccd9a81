"""Every write of the public site. Re-exported here so callers import ``fayuan.portal.services``."""

from .application import (
    application_submit,
    consent_record,
    draft_data,
    draft_file_add,
    draft_file_remove,
    draft_open_for,
    draft_purge_stale,
    draft_save,
    draft_start,
    resolve_route,
)
from .choice import CHOOSE_AGAIN, case_assign_by_client_choice, client_choice_expire
from .following import (
    applicant_message_send,
    notify_applicant,
    objection_submit,
    provider_change_request,
    rating_submit,
)
from .otp import otp_purge, otp_request, otp_verify

__all__ = [
    "CHOOSE_AGAIN", "applicant_message_send", "application_submit", "case_assign_by_client_choice",
    "client_choice_expire", "consent_record", "draft_data", "draft_file_add", "draft_file_remove", "draft_open_for",
    "draft_purge_stale", "draft_save", "draft_start", "notify_applicant", "objection_submit", "otp_purge",
    "otp_request", "otp_verify", "provider_change_request", "rating_submit", "resolve_route",
]
