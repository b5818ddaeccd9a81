"""Roles and what each may do, in one place. Scoping of records is in each app's selectors."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "申请人/受援人"
    STATION_CLERK = "station_clerk", "工作站人员"
    CENTER_REVIEWER = "center_reviewer", "中心审查人员"
    CENTER_DIRECTOR = "center_director", "中心主任"
    PROVIDER = "provider", "法律援助人员"
    DUTY_LAWYER = "duty_lawyer", "值班律师"
    ORGAN_LIAISON = "organ_liaison", "办案机关联络人"
    BUREAU_SUPERVISOR = "bureau_supervisor", "市司法局监管人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    # 三员分立 (等保 level 3): the system administrator keeps the master data, the security administrator grants
    # roles and scopes and resets second factors, the auditor reads the audit log. No one holds two of them.
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "审计员"


# The groups every app uses. Spell a group here once; import it everywhere else.
CENTER_ROLES = frozenset({Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
# May receive an application (the center counter, or a station that forwards it).
INTAKE_ROLES = CENTER_ROLES | {Role.STATION_CLERK}
# Handle assigned cases.
PROVIDER_ROLES = frozenset({Role.PROVIDER, Role.DUTY_LAWYER})
BUREAU_ROLES = frozenset({Role.BUREAU_SUPERVISOR})
APPLICANT_ROLES = frozenset({Role.APPLICANT})
# May open case records at all (each still limited by scope).
CASE_READER_ROLES = INTAKE_ROLES | PROVIDER_ROLES | BUREAU_ROLES
# Everyone who works in the back office; applicants use the public site.
OFFICE_ROLES = frozenset(set(Role) - {Role.APPLICANT})
# May browse organisation master data (not personal data).
MASTER_DATA_ROLES = OFFICE_ROLES - {Role.AUDITOR}
# May open people's records at all (each still limited by scope).
PERSON_READER_ROLES = CASE_READER_ROLES
# May see a full national ID number (each reveal is audited with a purpose).
ID_REVEAL_ROLES = INTAKE_ROLES
# May register or correct a person.
PERSON_WRITER_ROLES = INTAKE_ROLES
AUDIT_READER_ROLES = frozenset({Role.AUDITOR})
# Grant roles and scopes, reset second factors (never their own, never the auditor's).
SECURITY_ADMIN_ROLES = frozenset({Role.SECURITY_ADMIN})
# The three officers of 三员分立. No account ever holds two of them, not even one after the other.
OFFICER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Granted and reset only on the server (``manage.py create_officer``), never through the application: whoever could
# grant them could make themselves the auditor of their own actions.
BOOTSTRAP_ONLY_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDITOR})
# What the security administrator grants. Applicant accounts are made by the public site for a person.
GRANTABLE_ROLES = OFFICE_ROLES - BOOTSTRAP_ONLY_ROLES
# Roles that open case files, people's records or the audit log. The system administrator neither grants them nor
# touches an account that holds one (password, activation): that is the security administrator's duty.
DATA_ROLES = (CASE_READER_ROLES | PERSON_READER_ROLES | ID_REVEAL_ROLES | PERSON_WRITER_ROLES | AUDIT_READER_ROLES
              | APPLICANT_ROLES | {Role.ORGAN_LIAISON})
