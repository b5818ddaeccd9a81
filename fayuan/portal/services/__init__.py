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
from .choice import provider_choose
from .following import (
    applicant_message_send,
    notify_applicant,
    objection_submit,
    provider_change_request,
    rating_submit,
)
from .otp import otp_purge, otp_request, otp_verify

__all__ = [
    "applicant_message_send", "application_submit", "consent_record", "draft_data", "draft_file_add",
    "draft_file_remove", "draft_open_for", "draft_purge_stale", "draft_save", "draft_start", "notify_applicant",
    "objection_submit", "otp_purge", "otp_request", "otp_verify", "provider_change_request", "provider_choose",
    "rating_submit", "resolve_route",
]
