"""Every page, every role, every scope: entitled personas get the page, everyone else gets 404, anonymous users are
sent to sign in. A record-addressing page is checked from the persona's own scope, from another scope of the same
role, and by a provider whose assignment on the case ended (the personas are in ``access_support``). A new URL
without a row in ACCESS fails ``test_every_url_has_an_access_rule``; the API's operations have their matrix in
``fayuan/api/tests/test_api_access.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from fayuan.accounts.roles import CENTER_ROLES, MASTER_DATA_ROLES, OFFICE_ROLES, PERSON_READER_ROLES, Role
from fayuan.conftest import close_response, make_user
from fayuan.duty.tests.support import duty_world
from fayuan.org.models import Organ, OrganKind

from .access_support import (
    FORMER_PERSONAS,
    FORMER_STATES,
    OWN,
    OWN_AND_OTHER,
    PERSONAS,
    PROVIDER_STATES,
    Cases,
    add_personas,
    sign_in,
)

# The two sign-in steps after the password: before it they send the visitor to sign in (tested in accounts).
# demo_seed_progress: make run's banner, how far the invented demo data has got (test_demo_seed_banner.py).
PUBLIC = {"healthz", "login", "logout", "otp_verify", "otp_enrol", "privacy_public:notice", "demo_seed_progress"}
NOBODY: frozenset[str] = frozenset()
# One persona per role, from their own scope (the portal's matrix, portal/tests/test_access.py, uses it).
ROLE_USER = {role: by_scope[OWN] for role, by_scope in PERSONAS.items()}

Url = Callable[[Any], str]

STATION_A_READERS = frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})
STATION_A_INTAKE = frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
CASE_READERS = STATION_A_READERS | {Role.PROVIDER, Role.DUTY_LAWYER}
CENTER_A = frozenset({Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
HOLDER = frozenset({Role.PROVIDER})  # provider_a holds the assignment in the own world
# A district bureau supervises the center it set up, not another district's: bureau_b gets 404 on center A's
# records (the city bureau, which reads every center, is checked in test_the_city_bureau_reads_every_center).


@dataclass(frozen=True)
class Page:
    method: str
    url: Url
    own: frozenset[str]  # roles entitled from their own scope
    # Roles entitled from another scope. None: the page addresses no record of a scope, so the same as ``own``.
    other: frozenset[str] | None = None
    state: str | None = None  # the case state the URL needs; in FORMER_STATES, former providers are checked too
    # Roles that see the record from another scope and are told why they may not act (409 with the reason)
    # instead of a 404: the record is no secret to them.
    explained: frozenset[str] = NOBODY

    def entitled(self, role: str, scope: str) -> bool:
        return role in (self.own if scope == OWN or self.other is None else self.other)

    def denial(self, role: str, scope: str) -> int:
        return 409 if scope != OWN and role in self.explained else 404


def page(name: str, roles: frozenset[str], *args: Callable[[Any], Any], method: str = "get") -> Page:
    """A page of no scope (a list, a form, master data): entitled roles see it from wherever they work."""
    return Page(method, lambda c: reverse(name, args=[a(c) for a in args]), roles)


def case_page(name: str, state: str, roles: frozenset[str], other: frozenset[str] = NOBODY,
              explained: frozenset[str] = NOBODY) -> Page:
    """A page of one case of station A in ``state``."""
    return Page("get", lambda c: reverse(name, args=[c.cases.get(state).public_id]), roles, other, state, explained)


def person_page(name: str, roles: frozenset[str], other: frozenset[str] = NOBODY, method: str = "get") -> Page:
    """The applicant's record, while provider_a handles their case (signed): the holder sees it, a former one not."""

    def url(c: Any) -> str:
        return reverse(name, args=[c.cases.get("signed").applicant.public_id])

    return Page(method, url, roles, other, "signed")


def user_pk(key: str) -> Callable[[Any], Any]:
    return lambda c: c.user(key).pk


def _file_url(c: Any) -> str:
    return reverse("cases:file", args=c.cases.file_url_args("signed"))


def _document_url(c: Any) -> str:
    case = c.cases.get("signed")
    return reverse("case_documents:document", args=[case.public_id, case.documents.get(kind="grant_decision").pk])


def _custody_forwarding_url(name: str) -> Url:
    """A forwarding center A's court (organ_a) recorded and has not forwarded yet, made once per test."""

    def url(c: Any) -> str:
        if not hasattr(c, "custody_forwarding"):
            from fayuan.custody.services import ForwardingInput, forwarding_record

            c.custody_forwarding = forwarding_record(actor=c.user("organ_a"), data=ForwardingInput(
                name="钱七", criminal_stage="trial", forward_now=False))
        return reverse(name, args=[c.custody_forwarding.public_id])

    return url


def _rights_notification_url(name: str) -> Url:
    """A police organ of district A told a suspect, whose later notice case (organ A's, center A's) it is linked to."""

    def url(c: Any) -> str:
        if not hasattr(c, "rights_notification"):
            from django.utils import timezone

            from fayuan.conftest import valid_id
            from fayuan.criminal.tests.support import send_notice
            from fayuan.custody.services import NotificationInput, rights_notification_record

            police = Organ.objects.create(name="京口区公安分局（告知）", kind=OrganKind.POLICE, district=c.district_a,
                                          center=c.center_a)
            liaison = make_user("police_told", "organ_liaison", organ=police)
            told = rights_notification_record(actor=liaison, data=NotificationInput(
                suspect_name="孙告知", organ_case_number="京公(刑)字[2026]900号", occasion="first_interrogation",
                method="written", notified_at=timezone.now(), id_number=valid_id(90)))
            send_notice(c, ground="blind_deaf_mute", name="孙告知", id_number=valid_id(90),
                        organ_case_number="(2026)苏1102刑初900号")
            told.refresh_from_db()
            assert told.case_id is not None
            c.rights_notification = told
        return reverse(name, args=[c.rights_notification.public_id])

    return url


def _notice_url(name: str) -> Url:
    """A notice of organ A (the court of district A, whose notices go to center A), made once per site."""

    def url(c: Any) -> str:
        if not hasattr(c, "notice"):
            from fayuan.criminal.tests.support import send_notice

            c.notice = send_notice(c, ground="blind_deaf_mute")  # any lawyer may take it (no art. 26 rule)
            if name == "criminal:refusal":  # the refusal is recorded on an assigned notice
                from fayuan.cases.services.assignment import case_assign

                case_assign(actor=c.user("reviewer_a"), case=c.notice.case,
                            provider_id=c.user("provider_a").provider_id, reason="测试指定承办人员")
        return reverse(name, args=[c.notice.public_id])

    return url


def _duty_notice_url(name: str) -> Url:
    """A full-coverage notice of organ A in simplified procedure: routed to the duty station, no case."""

    def url(c: Any) -> str:
        if not hasattr(c, "duty_notice"):
            from fayuan.criminal.tests.support import send_notice

            c.duty_notice = send_notice(c, ground="full_coverage", procedure="simplified")
        return reverse(name, args=[c.duty_notice.public_id])

    return url


CUSTODY_FORWARDERS = frozenset({Role.ORGAN_LIAISON, Role.DUTY_LAWYER})
CUSTODY_REPORTS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
NOTICE_READERS = frozenset({Role.ORGAN_LIAISON, Role.BUREAU_SUPERVISOR}) | CENTER_ROLES

def _duty(name: str, record: Callable[[Any], Any], roles: frozenset[str], method: str = "get") -> Page:
    """A duty page of one record of station A (center A's, or duty_a's own): 404 from any other scope."""
    return Page(method, lambda c: reverse(name, args=[record(duty_world(c))]), roles, NOBODY)


def _duty_month(name: str, roles: frozenset[str], method: str = "get") -> Page:
    """The world's month (published): each center works on its own rota, so no record of another scope."""
    return Page(method, lambda c: reverse(name, args=[duty_world(c).month.year, duty_world(c).month.month]), roles)


DUTY_LAWYER = frozenset({Role.DUTY_LAWYER})
# Duty lawyers (issue 11): a center manages its own stations' pools, rota, swaps and reports; a duty lawyer sees
# their own duties and help records.
DUTY_ACCESS: dict[str, Page] = {
    "duty:index": page("duty:index", CENTER_ROLES | DUTY_LAWYER),
    "duty:pool": _duty("duty:pool", lambda w: w.member.station_id, CENTER_ROLES),
    "duty:pool_leave": _duty("duty:pool_leave", lambda w: w.member.pk, CENTER_ROLES, method="post"),
    "duty:unavailability": page("duty:unavailability", CENTER_ROLES),
    "duty:rota": _duty_month("duty:rota", CENTER_ROLES),
    "duty:rota_generate": _duty_month("duty:rota_generate", CENTER_ROLES, method="post"),
    "duty:rota_publish": _duty_month("duty:rota_publish", CENTER_ROLES, method="post"),
    "duty:swaps": page("duty:swaps", CENTER_ROLES | DUTY_LAWYER),
    "duty:swap_decide": _duty("duty:swap_decide", lambda w: w.swap.pk, CENTER_ROLES, method="post"),
    "duty:my": page("duty:my", DUTY_LAWYER),
    "duty:my_unavailability": page("duty:my_unavailability", DUTY_LAWYER),
    "duty:check_in": _duty("duty:check_in", lambda w: w.duty.pk, DUTY_LAWYER, method="post"),
    "duty:check_out": _duty("duty:check_out", lambda w: w.duty.pk, DUTY_LAWYER, method="post"),
    "duty:swap_request": _duty("duty:swap_request", lambda w: w.duty.pk, DUTY_LAWYER),
    "duty:help_new": _duty("duty:help_new", lambda w: w.duty.pk, DUTY_LAWYER),
    "duty:help_list": page("duty:help_list", CENTER_ROLES | DUTY_LAWYER),
    "duty:no_shows": page("duty:no_shows", CENTER_ROLES),
    "duty:report": page("duty:report", CENTER_ROLES),
    "duty:inspections": page("duty:inspections", CENTER_ROLES),
    # The duty overview: a center its own stations, a district bureau its centers', the city bureau all; a station
    # outside that oversight is a 404 (center B's staff and district B's bureau on station A).
    "duty:overview": page("duty:overview", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "duty:overview_records": Page("get", lambda c: f"{reverse('duty:overview_records')}?what=help&station="
                                                   f"{c.station_a.pk}", CENTER_ROLES | {Role.BUREAU_SUPERVISOR},
                                  NOBODY),
}

def _pool_member(c: Any) -> int:
    """provider_a's open membership of the criminal-defense pool (a lawyer of center A, district A)."""
    from fayuan.org.models import DefensePoolMember

    return DefensePoolMember.objects.get(provider_id=c.user("provider_a").provider_id, left_on__isnull=True).pk


POOL_MANAGERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# The criminal-defense pool (issue 11): center A's staff and district A's bureau manage center A's lawyers.
POOL_ACCESS = {
    "org:defense_pool": page("org:defense_pool", POOL_MANAGERS),
    "org:defense_pool_admit": page("org:defense_pool_admit", POOL_MANAGERS),
    "org:defense_pool_member": Page("get", lambda c: reverse("org:defense_pool_member", args=[_pool_member(c)]),
                                    POOL_MANAGERS, NOBODY),
    "org:defense_pool_leave": Page("post", lambda c: reverse("org:defense_pool_leave", args=[_pool_member(c)]),
                                   POOL_MANAGERS, NOBODY),
}

def _meeting(c: Any) -> Any:
    """A joint meeting center A convened with organ A (the court of district A), with one follow-up action."""
    if not hasattr(c, "meeting"):
        from django.utils import timezone

        from fayuan.meetings.services import MeetingInput, action_add, meeting_record

        c.meeting = meeting_record(actor=c.user("reviewer_a"), data=MeetingInput(
            held_on=timezone.localdate(), place="京口区法律援助中心", topic="通知辩护衔接", organ_ids=[c.organ_a.pk]))
        c.meeting_action = action_add(actor=c.user("reviewer_a"), meeting_id=c.meeting.pk, description="建立联络员",
                                      owner=f"organ:{c.organ_a.pk}", due_on=timezone.localdate())
    return c.meeting


def _meeting_action(c: Any) -> int:
    _meeting(c)
    return c.meeting_action.pk


MEETING_WRITERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
MEETING_READERS = MEETING_WRITERS | {Role.ORGAN_LIAISON}
# Joint meetings (issue 11): center A's staff, district A's bureau and the organs that took part (read-only).
MEETING_ACCESS = {
    "meetings:list": page("meetings:list", MEETING_READERS),
    "meetings:new": page("meetings:new", MEETING_WRITERS),
    "meetings:overdue": page("meetings:overdue", MEETING_READERS),
    "meetings:detail": Page("get", lambda c: reverse("meetings:detail", args=[_meeting(c).pk]), MEETING_READERS,
                            NOBODY),
    "meetings:action_new": Page("post", lambda c: reverse("meetings:action_new", args=[_meeting(c).pk]),
                                MEETING_WRITERS, NOBODY),
    "meetings:action_done": Page("post", lambda c: reverse("meetings:action_done", args=[_meeting_action(c)]),
                                 MEETING_WRITERS, NOBODY),
}

def _typical(name: str) -> Url:
    """A draft write-up of center A from its closed case (station A's), made once per site."""

    def url(c: Any) -> str:
        if not hasattr(c, "typical_case"):
            from fayuan.typical_cases.services import typical_case_draft

            c.typical_case = typical_case_draft(actor=c.user("reviewer_a"), case_id=c.cases.get("closed").public_id,
                                                period=timezone.localdate().replace(day=1))
        return reverse(name, args=[c.typical_case.public_id])

    return url


def _excellence(name: str) -> Url:
    """The year's excellent-case review, opened by the city bureau (the matrix's bureaus are district ones)."""

    def url(c: Any) -> str:
        if not hasattr(c, "excellence"):
            from fayuan.typical_cases.services_review import excellence_review_open

            c.excellence = excellence_review_open(actor=c.user("bureau"), year=timezone.localdate().year)
        return reverse(name, args=[c.excellence.pk])

    return url


def _year(c: Any) -> int:
    return timezone.localdate().year


LIBRARY = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# The typical-case library (issue 12, plan point 20): center A's staff write and submit their own center's
# write-ups, district A's bureau reads them; reviewing and the excellent-case review are the city bureau's alone
# (not in the matrix: its district bureaus get 404; see typical_cases/tests).
TYPICAL_ACCESS = {
    "typical_cases:list": page("typical_cases:list", LIBRARY),
    "typical_cases:new": page("typical_cases:new", CENTER_ROLES),
    "typical_cases:compliance": page("typical_cases:compliance", LIBRARY),
    "typical_cases:compilation_pdf": page("typical_cases:compilation_pdf", LIBRARY, _year),
    "typical_cases:compilation_docx": page("typical_cases:compilation_docx", LIBRARY, _year),
    "typical_cases:detail": Page("get", _typical("typical_cases:detail"), LIBRARY, NOBODY),
    "typical_cases:edit": Page("get", _typical("typical_cases:edit"), CENTER_ROLES, NOBODY),
    "typical_cases:submit": Page("post", _typical("typical_cases:submit"), CENTER_ROLES, NOBODY),
    "typical_cases:review": Page("post", _typical("typical_cases:review"), NOBODY, NOBODY),
    "typical_cases:excellence": page("typical_cases:excellence", NOBODY),
    "typical_cases:excellence_detail": Page("get", _excellence("typical_cases:excellence_detail"), NOBODY),
    "typical_cases:excellence_panel": Page("post", _excellence("typical_cases:excellence_panel"), NOBODY),
    "typical_cases:excellence_nominate": Page("post", _excellence("typical_cases:excellence_nominate"), NOBODY),
    "typical_cases:excellence_scores": Page("post", _excellence("typical_cases:excellence_scores"), NOBODY),
    "typical_cases:excellence_close": Page("post", _excellence("typical_cases:excellence_close"), NOBODY),
}


def _attendance(c: Any) -> int:
    """A hearing attendance center A planned on its signed case."""
    if not hasattr(c, "quality_attendance"):
        from django.utils import timezone

        from fayuan.quality.services import attendance_plan

        c.quality_attendance = attendance_plan(actor=c.user("reviewer_a"), public_id=c.cases.get("signed").public_id,
                                               attendee="陈某", hearing_at=timezone.now(), court="京口区人民法院")
    return c.quality_attendance.pk


def _visit(c: Any) -> int:
    """A follow-up visit of center A's closed case (drawn under a 100% rate for center A)."""
    if not hasattr(c, "quality_visit"):
        import datetime as dt

        from fayuan.quality.models import FollowUpRule
        from fayuan.quality.services import followup_draw

        FollowUpRule.objects.get_or_create(center=c.center_a, effective_from=dt.date(2020, 1, 1),
                                           defaults={"rate": 100, "script": "话术", "legal_basis": "测试"})
        c.quality_visit = followup_draw(actor=None, case=c.cases.get("closed"))
    return c.quality_visit.pk


def _peer_sample(c: Any) -> int:
    """Center A's closed case drawn into this year's peer review by the city bureau and assigned to reviewer_b (center
    B's staff, so no conflict)."""
    if not hasattr(c, "peer_sample"):
        from fayuan.quality.peer_review import services as peer

        case = c.cases.get("closed")
        round_ = peer.round_open(actor=c.user("bureau"), year=timezone.localdate().year, rate=100, seed=1)
        sample = round_.samples.get(case=case)
        peer.sample_assign(actor=c.user("bureau"), sample_id=sample.pk, reviewer_id=c.user("reviewer_b").pk)
        c.peer_sample = sample
    return c.peer_sample.pk


def _peer_round(c: Any) -> int:
    _peer_sample(c)
    return c.peer_sample.round_id


def _peer_url(name: str, key: Callable[[Any], int]) -> Url:
    return lambda c: reverse(name, args=[key(c)])


QUALITY_STAFF = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Quality management (issue 12): center A's staff record on center A's cases, district A's bureau and the city
# bureau read, the provider holding the case reads its page; another center's staff and bureau get 404.
QUALITY_ACCESS = {
    "quality:index": page("quality:index", QUALITY_STAFF),
    "quality:grading_list": page("quality:grading_list", QUALITY_STAFF),
    "quality:gaps": page("quality:gaps", QUALITY_STAFF),
    "quality:hearings": page("quality:hearings", QUALITY_STAFF),
    "quality:followups": page("quality:followups", QUALITY_STAFF),
    "quality:satisfaction": page("quality:satisfaction", QUALITY_STAFF),
    "quality:mine": page("quality:mine", QUALITY_STAFF | {Role.PROVIDER, Role.DUTY_LAWYER}),
    "quality:case": case_page("quality:case", "closed", CENTER_A | {Role.BUREAU_SUPERVISOR} | HOLDER),
    "quality:grading_confirm": case_page("quality:grading_confirm", "signed", CENTER_A),
    "quality:discussion_new": case_page("quality:discussion_new", "signed", CENTER_A),
    "quality:stage_new": case_page("quality:stage_new", "signed", CENTER_A),
    "quality:attendance_new": case_page("quality:attendance_new", "signed", CENTER_A),
    "quality:evaluation": case_page("quality:evaluation", "closed", CENTER_A),
    "quality:attendance_record": Page("get", lambda c: reverse("quality:attendance_record", args=[_attendance(c)]),
                                      CENTER_A, NOBODY),
    "quality:followup_record": Page("get", lambda c: reverse("quality:followup_record", args=[_visit(c)]),
                                    CENTER_A, NOBODY),
    # Peer review: the city bureau (not a persona here: bureau_a and bureau_b are district bureaus, so 404; the city
    # bureau's pages are tested in quality/tests/test_peer_views.py) runs the rounds; center A and district A's
    # bureau read the results of center A's case; reviewer_b of center B, its assigned reviewer, reads and scores it.
    "quality:peer_index": page("quality:peer_index", QUALITY_STAFF | {Role.PROVIDER, Role.DUTY_LAWYER}),
    "quality:peer_mine": page("quality:peer_mine", CENTER_ROLES | {Role.PROVIDER, Role.DUTY_LAWYER}),
    "quality:peer_results": page("quality:peer_results", QUALITY_STAFF),
    "quality:peer_records": page("quality:peer_records", QUALITY_STAFF),
    "quality:peer_round_new": page("quality:peer_round_new", NOBODY),
    "quality:peer_round": Page("get", _peer_url("quality:peer_round", _peer_round), NOBODY, NOBODY),
    "quality:peer_round_assign": Page("get", _peer_url("quality:peer_round_assign", _peer_round), NOBODY, NOBODY),
    "quality:peer_sample": Page("get", _peer_url("quality:peer_sample", _peer_sample), QUALITY_STAFF,
                                frozenset({Role.CENTER_REVIEWER})),
    "quality:peer_sample_assign": Page("get", _peer_url("quality:peer_sample_assign", _peer_sample), NOBODY, NOBODY),
    "quality:peer_score": Page("get", _peer_url("quality:peer_score", _peer_sample), NOBODY,
                               frozenset({Role.CENTER_REVIEWER})),
    "quality:peer_improvement": Page("get", _peer_url("quality:peer_improvement", _peer_sample), CENTER_A, NOBODY),
    "quality:peer_improvement_done": Page("get", _peer_url("quality:peer_improvement_done", _peer_sample), CENTER_A,
                                          NOBODY),
}


def _bulletin(name: str) -> Url:
    """Center A's monthly quality bulletin of last month, drafted by center A (issued by the first entitled POST)."""

    def url(c: Any) -> str:
        if not hasattr(c, "bulletin"):
            import datetime as dt

            from fayuan.bulletins.services import bulletin_draft

            last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
            c.bulletin = bulletin_draft(actor=c.user("reviewer_a"), kind="monthly", period_start=last_month)
        return reverse(name, args=[c.bulletin.public_id])

    return url


BULLETIN_READERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Quality bulletins (issue 12 part 6): center A's staff write center A's, district A's bureau reads them; the city
# bureau (not a persona here) writes the city's: see bulletins/tests/test_views.py.
BULLETIN_ACCESS = {
    "bulletins:list": page("bulletins:list", BULLETIN_READERS),
    "bulletins:new": page("bulletins:new", CENTER_ROLES, method="post"),
    "bulletins:detail": Page("get", _bulletin("bulletins:detail"), BULLETIN_READERS, NOBODY),
    "bulletins:pdf": Page("get", _bulletin("bulletins:pdf"), BULLETIN_READERS, NOBODY),
    "bulletins:docx": Page("get", _bulletin("bulletins:docx"), BULLETIN_READERS, NOBODY),
    "bulletins:issue": Page("post", _bulletin("bulletins:issue"), CENTER_A, NOBODY),
}


def _complaint(c: Any) -> Any:
    """A complaint about provider_a on center A's signed case, taken by center A and told to provider_a."""
    if not hasattr(c, "complaint"):
        from fayuan.complaints.services import ComplaintInput, complaint_notify_provider, complaint_record

        case = c.cases.get("signed")
        c.complaint = complaint_record(actor=c.user("reviewer_a"), data=ComplaintInput(
            case_number=case.number, provider_id=c.user("provider_a").provider_id, channel="phone",
            complainant_kind="recipient", complainant_name="李四", category="not_diligent", facts="律师一直联系不上。"))
        complaint_notify_provider(actor=c.user("reviewer_a"), public_id=c.complaint.public_id,
                                  points="受援人反映两周内联系不上承办律师。")
    return c.complaint


def _complaint_page(name: str, roles: frozenset[str], method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[_complaint(c).public_id]), roles, NOBODY)


COMPLAINT_HANDLERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Complaints (issue 12): center A's staff and district A's bureau handle center A's; only that bureau decides
# (art. 56); provider_a sees the complaint about them once told the points (without the complainant).
COMPLAINT_ACCESS = {
    "complaints:list": page("complaints:list", COMPLAINT_HANDLERS | {Role.PROVIDER, Role.DUTY_LAWYER}),
    "complaints:new": page("complaints:new", COMPLAINT_HANDLERS),
    "complaints:flags": page("complaints:flags", COMPLAINT_HANDLERS),
    "complaints:detail": _complaint_page("complaints:detail", COMPLAINT_HANDLERS | HOLDER),
    "complaints:notify_provider": _complaint_page("complaints:notify_provider", COMPLAINT_HANDLERS, "post"),
    "complaints:respond": _complaint_page("complaints:respond", HOLDER, "post"),
    "complaints:decide": _complaint_page("complaints:decide", frozenset({Role.BUREAU_SUPERVISOR}), "post"),
    "complaints:inform": _complaint_page("complaints:inform", COMPLAINT_HANDLERS, "post"),
}


def _team(c: Any) -> Any:
    """provider_a admitted to the excellent-lawyer team by center A, booked for a session at center A next week."""
    if not hasattr(c, "team_member"):
        import datetime as dt

        from django.utils import timezone

        from fayuan.lawyer_team.services import SessionInput, member_admit, session_schedule

        today = timezone.localdate()
        c.team_member = member_admit(actor=c.user("reviewer_a"), provider_id=c.user("provider_a").provider_id,
                                     admitted_on=today, profile="从事劳动争议代理十余年，擅长工伤赔偿。")
        c.team_session = session_schedule(actor=c.user("reviewer_a"), data=SessionInput(
            held_on=today + dt.timedelta(days=7), starts_at=dt.time(9), ends_at=dt.time(11),
            member_ids=[c.team_member.pk]))
    return c


def _team_page(name: str, record: Callable[[Any], Any], roles: frozenset[str], method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[record(_team(c))]), roles, NOBODY)


TEAM_MANAGERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# The excellent-lawyer team (issue 12): center A's staff manage center A's members and sessions, bureaus read.
TEAM_ACCESS = {
    "lawyer_team:roster": page("lawyer_team:roster", TEAM_MANAGERS),
    "lawyer_team:admit": page("lawyer_team:admit", CENTER_ROLES),
    "lawyer_team:sessions": page("lawyer_team:sessions", TEAM_MANAGERS),
    "lawyer_team:session_new": page("lawyer_team:session_new", CENTER_ROLES),
    "lawyer_team:member": _team_page("lawyer_team:member", lambda c: c.team_member.pk, TEAM_MANAGERS),
    "lawyer_team:leave": _team_page("lawyer_team:leave", lambda c: c.team_member.pk, CENTER_ROLES, "post"),
    "lawyer_team:session": _team_page("lawyer_team:session", lambda c: c.team_session.pk, TEAM_MANAGERS),
    "lawyer_team:session_record": _team_page("lawyer_team:session_record", lambda c: c.team_session.pk,
                                             CENTER_ROLES, "post"),
    "lawyer_team:session_cancel": _team_page("lawyer_team:session_cancel", lambda c: c.team_session.pk,
                                             CENTER_ROLES, "post"),
}

def _outreach(c: Any) -> Any:
    """A household of district A registered by station A's clerk, visited, with a task, a plan and a card batch."""
    from fayuan.outreach.tests.support import outreach_world

    return outreach_world(c)


def _outreach_page(name: str, record: Callable[[Any], Any], roles: frozenset[str], method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[record(_outreach(c))]), roles, NOBODY)


OUTREACH_WRITERS = frozenset({Role.STATION_CLERK}) | CENTER_ROLES
OUTREACH_READERS = OUTREACH_WRITERS | {Role.BUREAU_SUPERVISOR}
# Outreach and contact cards (issue 13): station A's clerk, center A's staff and district A's bureau reach the
# households of district A; the bureau reads only; every other district and role gets 404.
OUTREACH_ACCESS = {
    "outreach:households": page("outreach:households", OUTREACH_READERS),
    "outreach:household_new": page("outreach:household_new", OUTREACH_WRITERS),
    "outreach:plans": page("outreach:plans", OUTREACH_READERS),
    "outreach:plan_new": page("outreach:plan_new", OUTREACH_WRITERS),
    "outreach:tasks": page("outreach:tasks", OUTREACH_READERS),
    "outreach:needs": page("outreach:needs", OUTREACH_READERS),
    "outreach:needs_csv": page("outreach:needs_csv", OUTREACH_READERS),
    "outreach:cards": page("outreach:cards", OUTREACH_READERS),
    "outreach:household": _outreach_page("outreach:household", lambda c: c.household.pk, OUTREACH_READERS),
    "outreach:visit_new": _outreach_page("outreach:visit_new", lambda c: c.household.pk, OUTREACH_WRITERS),
    "outreach:task_open": _outreach_page("outreach:task_open", lambda c: c.need_wages.pk, OUTREACH_WRITERS, "post"),
    "outreach:plan": _outreach_page("outreach:plan", lambda c: c.plan.pk, OUTREACH_READERS),
    "outreach:task": _outreach_page("outreach:task", lambda c: c.task.pk, OUTREACH_READERS),
    "outreach:task_start": _outreach_page("outreach:task_start", lambda c: c.task.pk, OUTREACH_WRITERS, "post"),
    "outreach:task_close": _outreach_page("outreach:task_close", lambda c: c.task.pk, OUTREACH_WRITERS, "post"),
    "outreach:card_batch": _outreach_page("outreach:card_batch", lambda c: c.batch.public_id, OUTREACH_READERS),
    "outreach:card_pdf": _outreach_page("outreach:card_pdf", lambda c: c.batch.public_id, OUTREACH_READERS),
}


def _registry_batch(c: Any) -> Any:
    """A civil affairs file with one bad row, imported from the command line (city-wide: no scope)."""
    if not hasattr(c, "registry_batch"):
        from django.core.files.base import ContentFile

        from fayuan.registry.services import registry_batch_create, registry_import_run

        text = "身份证号码,姓名,救助类别,家庭编号,行政区划代码,家庭住址,起始日期,终止日期\r\n" \
               "11010519491231002X,甲,低保,F1,,,2025-01-01,\r\n11010519491231002Y,乙,低保,F2,,,2025-01-01,\r\n"
        batch = registry_batch_create(actor=None, source_code="civil_affairs",
                                      upload=ContentFile(text.encode(), name="mz.csv"), name="mz.csv")
        c.registry_batch = registry_import_run(batch_id=batch.public_id)
    return c.registry_batch


def _registry_page(name: str, method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[_registry_batch(c).public_id]), REGISTRY_MANAGERS)


REGISTRY_MANAGERS = frozenset({Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})
# The recipient registry (issue 13): city-wide reference data, so no scope: directors and the bureau import and
# read batches from anywhere; intake staff and the bureau look a person up (POST, audited).
REGISTRY_ACCESS = {
    "registry:batches": page("registry:batches", REGISTRY_MANAGERS),
    "registry:batch": _registry_page("registry:batch"),
    "registry:errors_csv": _registry_page("registry:errors_csv"),
    "registry:errors_xlsx": _registry_page("registry:errors_xlsx"),
    "registry:sources": page("registry:sources", REGISTRY_MANAGERS),
    "registry:source_edit": page("registry:source_edit", REGISTRY_MANAGERS, lambda c: "civil_affairs"),
    "registry:query": page("registry:query", STATION_A_READERS),
}


# The station network's reach (issue 13, plan point 14): bureaus and centers read it for their district (the city
# bureau and the city center for the city; a district bureau asking for another district gets 404, places/tests).
REACH_READERS = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
REACH_ACCESS = {
    "places:reach": page("places:reach", REACH_READERS),
    "places:map": page("places:map", REACH_READERS),
    "places:list": page("places:list", REACH_READERS),
}


def _prison(c: Any) -> Any:
    """A prison station of center A (district A) with a room and provider_a booked there for tomorrow."""
    if not hasattr(c, "prison"):
        import datetime as dt
        from decimal import Decimal

        from fayuan.org.models import Station, StationType
        from fayuan.prison_visits.services import BookingInput, appointment_book, room_add

        c.prison = Station.objects.create(name="京口监狱法律援助工作站", type=StationType.PRISON, center=c.center_a,
                                          district=c.district_a, address="监狱", latitude=Decimal("32.1"),
                                          longitude=Decimal("119.5"))
        room = room_add(actor=c.user("reviewer_a"), station_id=c.prison.pk, name="视频会见室")
        start = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(9),
                                    tzinfo=timezone.get_current_timezone())
        c.prison_appointment = appointment_book(actor=c.user("reviewer_a"), data=BookingInput(
            station_id=c.prison.pk, room_id=room.pk, provider_id=c.user("provider_a").provider_id,
            starts_at=start, ends_at=start + dt.timedelta(hours=1), inmate_name="孙某", inmate_number="3201001",
            matter="申诉"))
    return c


def _prison_page(name: str, record: Callable[[Any], Any], roles: frozenset[str], method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[record(_prison(c))]), roles, NOBODY)


def _training(c: Any) -> int:
    """A training session center A held last week."""
    if not hasattr(c, "training_session"):
        import datetime as dt
        from decimal import Decimal

        from fayuan.training.services import SessionInput, session_create

        c.training_session = session_create(actor=c.user("reviewer_a"), data=SessionInput(
            title="业务培训班", held_on=timezone.localdate() - dt.timedelta(days=7), hours=Decimal(3), place="中心"))
    return int(c.training_session.pk)


CENTER_AND_BUREAU = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Issue 13. Prison stations: center A's staff write at its prison, district A's bureau reads, the booked lawyer reads
# their appointment (the matrix's clerks work at court stations: 404). Training: center A's session, read by
# district A's bureau, attendance by its organiser. Publicity: pages of one's own unit.
ISSUE13_ACCESS = {
    "prison_visits:index": page("prison_visits:index", CENTER_AND_BUREAU),
    "prison_visits:mine": page("prison_visits:mine", frozenset({Role.PROVIDER, Role.DUTY_LAWYER})),
    "prison_visits:station": _prison_page("prison_visits:station", lambda c: c.prison.pk, CENTER_AND_BUREAU),
    "prison_visits:lectures": _prison_page("prison_visits:lectures", lambda c: c.prison.pk, CENTER_AND_BUREAU),
    "prison_visits:book": _prison_page("prison_visits:book", lambda c: c.prison.pk, CENTER_ROLES),
    "prison_visits:room_new": _prison_page("prison_visits:room_new", lambda c: c.prison.pk, CENTER_ROLES, "post"),
    "prison_visits:appointment": _prison_page("prison_visits:appointment", lambda c: c.prison_appointment.pk,
                                              CENTER_AND_BUREAU | HOLDER),
    "prison_visits:cancel": _prison_page("prison_visits:cancel", lambda c: c.prison_appointment.pk, CENTER_ROLES,
                                         "post"),
    "prison_visits:outcome": _prison_page("prison_visits:outcome", lambda c: c.prison_appointment.pk, CENTER_ROLES,
                                          "post"),
    "training:list": page("training:list", CENTER_AND_BUREAU),
    "training:new": page("training:new", CENTER_AND_BUREAU),
    "training:hours": page("training:hours", CENTER_AND_BUREAU),
    "training:hours_csv": page("training:hours_csv", CENTER_AND_BUREAU),
    "training:detail": Page("get", lambda c: reverse("training:detail", args=[_training(c)]), CENTER_AND_BUREAU,
                            NOBODY),
    "training:attendance": Page("post", lambda c: reverse("training:attendance", args=[_training(c)]), CENTER_ROLES,
                                NOBODY),
    "publicity:index": page("publicity:index", CENTER_AND_BUREAU),
    "publicity:event_new": page("publicity:event_new", CENTER_AND_BUREAU),
    "publicity:media_new": page("publicity:media_new", CENTER_AND_BUREAU),
}


def _subsidy(c: Any) -> Any:
    """The subsidy computed when center A accepted the closed case's closing file (provider_a's case)."""
    from fayuan.subsidies.models import Subsidy

    return Subsidy.objects.get(case=c.cases.get("closed"))


def _subsidy_batch(c: Any) -> int:
    """Center A's payment batch of this month, made once per site."""
    if not hasattr(c, "subsidy_batch"):
        from fayuan.subsidies.services import batch_create

        c.subsidy_batch = batch_create(actor=c.user("reviewer_a"), month=timezone.localdate())
    return int(c.subsidy_batch.pk)


def _batch_page(name: str, roles: frozenset[str], method: str = "get") -> Page:
    return Page(method, lambda c: reverse(name, args=[_subsidy_batch(c)]), roles, NOBODY)


SUBSIDY_CENTER_OR_BUREAU = CENTER_ROLES | {Role.BUREAU_SUPERVISOR}
# Subsidies (issue 14 parts 1-3): the whole office reads the tariff; center A's staff and district A's bureau read
# center A's subsidies and batches, provider_a their own; the director approves; the center makes, submits and
# pays batches; the director (own center) and the bureau set budgets; the holder enters the claim on the case.
SUBSIDY_ACCESS = {
    "subsidies:tariff": page("subsidies:tariff", OFFICE_ROLES),
    "subsidies:list": page("subsidies:list", SUBSIDY_CENTER_OR_BUREAU | {Role.PROVIDER, Role.DUTY_LAWYER}),
    "subsidies:claim": case_page("subsidies:claim", "signed", HOLDER),
    "subsidies:detail": Page("get", lambda c: reverse("subsidies:detail", args=[_subsidy(c).public_id]),
                             CENTER_A | {Role.BUREAU_SUPERVISOR} | HOLDER, NOBODY),
    "subsidies:approve": Page("post", lambda c: reverse("subsidies:approve", args=[_subsidy(c).public_id]),
                              frozenset({Role.CENTER_DIRECTOR}), NOBODY),
    "subsidies:batches": page("subsidies:batches", SUBSIDY_CENTER_OR_BUREAU),
    "subsidies:batch_new": page("subsidies:batch_new", CENTER_ROLES, method="post"),
    "subsidies:batch": _batch_page("subsidies:batch", CENTER_A | {Role.BUREAU_SUPERVISOR}),
    "subsidies:batch_export": _batch_page("subsidies:batch_export", CENTER_A | {Role.BUREAU_SUPERVISOR}),
    "subsidies:batch_submit": _batch_page("subsidies:batch_submit", CENTER_A, "post"),
    "subsidies:batch_paid": _batch_page("subsidies:batch_paid", CENTER_A, "post"),
    "subsidies:budgets": page("subsidies:budgets", SUBSIDY_CENTER_OR_BUREAU),
    "subsidies:budget_set": page("subsidies:budget_set", frozenset({Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR}),
                                 method="post"),
    "subsidies:funding_export": page("subsidies:funding_export", SUBSIDY_CENTER_OR_BUREAU, _year),
}

# url name -> who may use it. The state of each case URL is one that allows the action, so the entitled roles get
# the form (GET) and everyone else 404.
ACCESS: dict[str, Page] = {
    "accounts:home": page("accounts:home", OFFICE_ROLES),
    "accounts:password_change": page("accounts:password_change", OFFICE_ROLES),
    # Second factors and role grants are the security administrator's alone (reviewer_a's account).
    "accounts:otp_accounts": page("accounts:otp_accounts", frozenset({Role.SECURITY_ADMIN})),
    "accounts:otp_reset": page("accounts:otp_reset", frozenset({Role.SECURITY_ADMIN}), user_pk("reviewer_a"),
                               method="post"),
    "security:accounts": page("security:accounts", frozenset({Role.SECURITY_ADMIN})),
    "security:account": page("security:account", frozenset({Role.SECURITY_ADMIN}), user_pk("reviewer_a")),
    "security:grant": page("security:grant", frozenset({Role.SECURITY_ADMIN}), user_pk("reviewer_a")),
    "security:revoke": page("security:revoke", frozenset({Role.SECURITY_ADMIN}), user_pk("reviewer_a")),
    "org:districts": page("org:districts", MASTER_DATA_ROLES),
    "org:centers": page("org:centers", MASTER_DATA_ROLES),
    "org:stations": page("org:stations", MASTER_DATA_ROLES),
    "org:providers": page("org:providers", MASTER_DATA_ROLES),
    "org:provider": page("org:provider", MASTER_DATA_ROLES, lambda c: c.user("provider_a").provider_id),
    "org:staff": page("org:staff", MASTER_DATA_ROLES),
    "people:list": page("people:list", PERSON_READER_ROLES),
    "people:find": page("people:find", PERSON_READER_ROLES, method="post"),
    "people:new": page("people:new", STATION_A_INTAKE),
    "people:detail": person_page("people:detail", STATION_A_READERS | HOLDER),
    "people:edit": person_page("people:edit", STATION_A_INTAKE),
    "people:reveal": person_page("people:reveal", STATION_A_INTAKE, method="post"),
    "deadlines:queue": page("deadlines:queue", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:assignment_spread": page("stats:assignment_spread", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "notifications:list": page("notifications:list", OFFICE_ROLES),
    # Marking read is scoped to one's own notifications: the id of reviewer_a's own notification.
    "notifications:read": Page("post", lambda c: reverse("notifications:read", args=[c.notification_id]),
                               frozenset({Role.CENTER_REVIEWER}), NOBODY),
    "cases:queue": page("cases:queue", CASE_READERS),
    "cases:new": page("cases:new", STATION_A_INTAKE),
    "cases:detail": case_page("cases:detail", "signed", STATION_A_READERS | HOLDER),
    "cases:file": Page("get", _file_url, STATION_A_READERS | HOLDER, NOBODY, "signed"),
    "case_documents:document": Page("get", _document_url, STATION_A_READERS | HOLDER, NOBODY, "signed"),
    "cases:forward": case_page("cases:forward", "at_station", STATION_A_INTAKE),
    "cases:withdraw": case_page("cases:withdraw", "at_station", STATION_A_INTAKE),
    "cases:materials": case_page("cases:materials", "at_station", STATION_A_INTAKE),
    "cases:decide": case_page("cases:decide", "received", CENTER_A),
    "cases:supplement": case_page("cases:supplement", "received", CENTER_A),
    "cases:start_review": case_page("cases:start_review", "received", CENTER_A),
    "cases:aid_first_confirm": case_page("cases:aid_first_confirm", "aid_first", CENTER_A),
    "cases:supplement_received": case_page("cases:supplement_received", "supplement", STATION_A_INTAKE),
    "cases:assign": case_page("cases:assign", "granted", CENTER_A),
    "cases:terminate": case_page("cases:terminate", "granted", CENTER_A),
    "cases:objection": case_page("cases:objection", "refused", CENTER_A),
    # Art. 49: the bureau that set up center A decides; another district's bureau does not see the case.
    "cases:objection_decision": case_page("cases:objection_decision", "objection",
                                          frozenset({Role.BUREAU_SUPERVISOR})),
    # Assigned to provider_a: the duty lawyer (another provider) does not see the case at all.
    "cases:accept": case_page("cases:accept", "assigned", HOLDER),
    "cases:decline": case_page("cases:decline", "assigned", HOLDER),
    "cases:change_provider": case_page("cases:change_provider", "assigned", CENTER_A),
    "cases:agreement": case_page("cases:agreement", "accepted", CENTER_A | HOLDER),
    "cases:progress": case_page("cases:progress", "signed", HOLDER),
    "cases:closing": case_page("cases:closing", "signed", HOLDER),
    "cases:closing_review": case_page("cases:closing_review", "closing", CENTER_A),
    "cases:archive": case_page("cases:archive", "closed", CENTER_A),
    "consultations:list": page("consultations:list", STATION_A_READERS),
    "consultations:new": page("consultations:new", STATION_A_INTAKE),
    "audit:list": page("audit:list", frozenset({Role.AUDITOR})),
    "audit:grants": page("audit:grants", frozenset({Role.AUDITOR})),
    # Privacy duties (PIPL): the record for every office role; a person's access report for the staff who hold
    # the person and the auditor; the export for the staff who hold the person; an applicant's own download.
    "privacy:record": page("privacy:record", OFFICE_ROLES),
    "privacy:access": person_page("privacy:access", STATION_A_INTAKE | {Role.AUDITOR}),
    "privacy:access_lookup": page("privacy:access_lookup", frozenset({Role.AUDITOR}), method="post"),
    "privacy:export": person_page("privacy:export", STATION_A_INTAKE, method="post"),
    "privacy_public:my_data": page("privacy_public:my_data", frozenset({Role.APPLICANT})),
    "audit:verify": page("audit:verify", frozenset({Role.AUDITOR}), method="post"),
    "audit:verify_start": page("audit:verify_start", frozenset({Role.AUDITOR}), method="post"),
    # A background task's page is its owner's alone: reviewer_a's own task.
    "tasks:progress": Page("get", lambda c: reverse("tasks:progress", args=[c.progress_id]),
                           frozenset({Role.CENTER_REVIEWER}), NOBODY),
    "tasks:cancel": Page("post", lambda c: reverse("tasks:cancel", args=[c.progress_id]),
                         frozenset({Role.CENTER_REVIEWER}), NOBODY),
    # Custody (issue 11): an organ's own forwardings, the center they go to, the bureau that set up that center; the
    # rights notifications are a police organ's (the matrix's liaisons are courts' and get 404) and the bureau's.
    "custody:forwardings": page("custody:forwardings", CUSTODY_FORWARDERS | CUSTODY_REPORTS),
    "custody:forwarding_new": page("custody:forwarding_new", CUSTODY_FORWARDERS),
    "custody:forwarding": Page("get", _custody_forwarding_url("custody:forwarding"),
                               frozenset({Role.ORGAN_LIAISON}) | CUSTODY_REPORTS, NOBODY),
    "custody:forwarding_forward": Page("get", _custody_forwarding_url("custody:forwarding_forward"),
                                       frozenset({Role.ORGAN_LIAISON}), NOBODY),
    "custody:notifications": page("custody:notifications", frozenset({Role.BUREAU_SUPERVISOR})),
    "custody:notification_new": page("custody:notification_new", NOBODY),
    # One notification: its police organ (not in the matrix: a court's liaison gets 404), district A's bureau, and
    # center A's staff because it is linked to a case of center A.
    "custody:notification": Page("get", _rights_notification_url("custody:notification"),
                                 frozenset({Role.BUREAU_SUPERVISOR}) | CENTER_ROLES, NOBODY),
    "custody:reports": page("custody:reports", CUSTODY_REPORTS),
    # Organs' notices: a liaison sees its own organ's, center A's staff and district A's bureau those of center A.
    "criminal:notices": page("criminal:notices", NOTICE_READERS),
    "criminal:grounds": page("criminal:grounds", NOTICE_READERS),
    "criminal:report": page("criminal:report", NOTICE_READERS),
    "criminal:notice_new": page("criminal:notice_new", frozenset({Role.ORGAN_LIAISON})),
    "criminal:notice": Page("get", _notice_url("criminal:notice"), NOTICE_READERS, NOBODY),
    "criminal:refusal": Page("get", _notice_url("criminal:refusal"), CENTER_ROLES, NOBODY),
    # Full defense coverage: the courts' monthly coverage (readers of notices), its return (a court's liaison or its
    # center), the duty-station notices and the record of the duty lawyer's help (the center).
    "criminal:coverage": page("criminal:coverage", NOTICE_READERS),
    "criminal:trial_return": page("criminal:trial_return", CENTER_ROLES | {Role.ORGAN_LIAISON}),
    "criminal:duty_list": page("criminal:duty_list", CENTER_ROLES),
    "criminal:duty_help": Page("get", _duty_notice_url("criminal:duty_help"), CENTER_ROLES, NOBODY),
    "stats:criminal": page("stats:criminal", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    # Issue 14: the dashboards, their export and home summary, the records behind a figure (scoped to the user's
    # own cases: a center sees its own, the records list filters through the case list's scope).
    "stats:dashboard": page("stats:dashboard", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:dashboard_export": page("stats:dashboard_export", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:dashboard_summary": page("stats:dashboard_summary", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:records": Page("get", lambda c: f"{reverse('stats:records')}?measure=aided",
                          CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    # The statistical report (issue 14 part 5): the page of one's own scope; the export asked for district A is center
    # A's staff's and district A's bureau's, a 404 for center B and district B's bureau.
    "stats:report": page("stats:report", CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:report_export": Page("get", lambda c: f"{reverse('stats:report_export')}?period="
                                                 f"{timezone.localdate():%Y-%m}&format=xlsx&district={c.district_a.pk}",
                                CENTER_ROLES | {Role.BUREAU_SUPERVISOR}, NOBODY),
    "admin:index": page("admin:index", frozenset({Role.SYSTEM_ADMIN})),
    "admin:org_provider_changelist": page("admin:org_provider_changelist", frozenset({Role.SYSTEM_ADMIN})),
    **DUTY_ACCESS,
    **POOL_ACCESS,
    **MEETING_ACCESS,
    **TYPICAL_ACCESS,
    **QUALITY_ACCESS,
    **COMPLAINT_ACCESS,
    **TEAM_ACCESS,
    **SUBSIDY_ACCESS,
    **BULLETIN_ACCESS,
    **OUTREACH_ACCESS,
    **REGISTRY_ACCESS,
    **REACH_ACCESS,

    **ISSUE13_ACCESS,
}


def _names(patterns: list[Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue  # the admin's many URLs share one gate, checked through the two rows above
            if p.namespace == "portal":
                continue  # every portal URL has its rule in fayuan/portal/tests/test_access.py
            if p.namespace == "api":
                continue  # every API operation has its rule in fayuan/api/tests/test_api_access.py
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_has_an_access_rule():
    declared = set(ACCESS) | PUBLIC
    missing = _names(get_resolver().url_patterns) - declared
    assert not missing, f"URLs without an access rule and a denial test: {sorted(missing)}"


@pytest.fixture
def site(city, settings, tmp_path):
    """The city plus the other-scope personas and the records some URLs address (a notification and a task of
    reviewer_a's own); cases are built on demand (``site.cases``). Files go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path
    from fayuan.core.progress import task_progress_start
    from fayuan.notifications.services import notification_send

    add_personas(city)
    city.notification_id = notification_send(user=city.user("reviewer_a"), title="测试", body="测试通知").pk
    city.progress_id = task_progress_start(owner=city.user("reviewer_a"), label="测试任务").pk
    city.cases = Cases(city)
    return city


POST_DATA = {"purpose": "核对申请人身份", "id_number": "11010519491231002X"}


def status_as(client: Any, site: Any, key: str, rule: Page, url: str) -> tuple[int, str]:
    sign_in(client, site.user(key))
    response = getattr(client, rule.method)(url, post_data(site) if rule.method == "post" else {})
    close_response(response)  # a streamed download holds its file open until closed
    return response.status_code, response.get("Location", "")


def post_data(site: Any) -> dict[str, Any]:
    # The auditor's access-report lookup takes the row id the audit log shows.
    return {**POST_DATA, "object_id": site.cases.get("signed").applicant.pk}


def granted(status: int, location: str) -> bool:
    return status == 200 or (status == 302 and "/accounts/login/" not in location)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_every_role_in_its_own_and_another_scope(client, site, name):
    """Each URL once, every persona of every role from their own scope and from another (CHECKS_PER_URL)."""
    rule = ACCESS[name]
    url = rule.url(site)
    wrong = []
    for role, scope, key in OWN_AND_OTHER:
        status, location = status_as(client, site, key, rule, url)
        entitled = rule.entitled(role, scope)
        if (entitled and not granted(status, location)) or (not entitled and status != rule.denial(role, scope)):
            wrong.append((str(role), scope, key, status, "entitled" if entitled else "not entitled"))
    assert not wrong, f"{name} {url}: {wrong}"


FORMER_ROWS = sorted(name for name, rule in ACCESS.items() if rule.state in FORMER_STATES)


@pytest.mark.parametrize("name", FORMER_ROWS)
def test_a_provider_whose_assignment_ended_gets_404(client, site, name):
    """The same URL on a case whose providers declined, were replaced or saw the aid terminated: 404 for them."""
    site.cases = Cases(site, former=True)
    rule = ACCESS[name]
    url = rule.url(site)
    wrong = [(key, status) for _role, key in FORMER_PERSONAS
             if (status := status_as(client, site, key, rule, url)[0]) != 404]
    assert not wrong, f"{name} {url}: {wrong}"
    # The successor holds the case: the URL is live, not 404 for everyone.
    if rule.state in PROVIDER_STATES and Role.PROVIDER in rule.own:
        sign_in(client, site.cases.lawyer(site.cases.get(rule.state)))
        response = getattr(client, rule.method)(url, post_data(site) if rule.method == "post" else {})
        close_response(response)
        assert response.status_code in (200, 302), (name, "successor", response.status_code)


def test_a_former_provider_no_longer_lists_the_case_or_the_person(client, site):
    site.cases = Cases(site, former=True)
    case = site.cases.get("signed")
    for _role, key in FORMER_PERSONAS:
        sign_in(client, site.user(key))
        queue = client.get(reverse("cases:queue")).content.decode()
        people = client.get(reverse("people:list")).content.decode()
        assert str(case.public_id) not in queue and case.number not in queue, key
        assert str(case.applicant.public_id) not in people and case.applicant.name not in people, key


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_anonymous_is_sent_to_sign_in(client, site, name):
    rule = ACCESS[name]
    response = getattr(client, rule.method)(rule.url(site))
    assert response.status_code == 302
    # Applicants sign in with an SMS code on the public site; everyone else on the office sign-in.
    sign_in_url = reverse("portal:signin") if rule.own == {Role.APPLICANT} else "/accounts/login/"
    assert response["Location"].startswith(sign_in_url)


OUT_OF_SCOPE = [
    # (user, the person they must not reach)
    ("clerk_a", "person_a"),        # registered at center A, not at the clerk's station
    ("clerk_b", "person_station_a"),
    ("reviewer_b", "person_a"),     # another district's center
    ("reviewer_b", "person_station_a"),
    ("reviewer_a", "person_b"),
    ("director_a", "person_b"),
    ("provider_a", "person_a"),     # nothing assigned yet
    ("duty_a", "person_a"),
]


@pytest.mark.parametrize(("username", "person_attr"), OUT_OF_SCOPE)
@pytest.mark.parametrize("view", ["people:detail", "people:edit", "people:reveal", "privacy:access",
                                  "privacy:export"])
def test_person_outside_scope_is_404_on_every_person_view(client, city, username, person_attr, view):
    sign_in(client, city.user(username))
    url = reverse(view, args=[getattr(city, person_attr).public_id])
    method = client.post if view in ("people:reveal", "privacy:export") else client.get
    assert method(url, {"purpose": "核对身份"}).status_code == 404


def test_unknown_person_id_is_404(client, city):
    sign_in(client, city.user("reviewer_a"))
    assert client.get("/office/people/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_district_bureau_sees_its_own_center_and_the_city_bureau_every_center(client, site):
    """A district bureau set up one center (art. 49) and supervises it alone: another district's case, person,
    consultation and deadline are not its to read (404, and absent from its lists); the city bureau reads all."""
    from fayuan.cases.selectors import cases_visible_to
    from fayuan.consultations.selectors import consultations_visible_to
    from fayuan.deadlines.selectors import deadlines_visible_to
    from fayuan.people.selectors import persons_visible_to

    case = site.cases.get("signed")
    detail = reverse("cases:detail", args=[case.public_id])
    person = reverse("people:detail", args=[case.applicant.public_id])
    for key, sees in (("bureau_a", True), ("bureau_b", False), ("bureau", True)):
        user = site.user(key)
        assert cases_visible_to(user).filter(pk=case.pk).exists() is sees, key
        assert persons_visible_to(user).filter(pk=case.applicant.pk).exists() is sees, key
        assert deadlines_visible_to(user).filter(center=case.center).exists() is sees, key
        sign_in(client, user)
        assert (client.get(detail).status_code == 200) is sees, key
        assert (client.get(person).status_code == 200) is sees, key
    assert not consultations_visible_to(site.user("bureau_b")).filter(center=site.center_a).exists()
    assert cases_visible_to(site.user("bureau_b")).filter(center=site.center_b).count() == (
        cases_visible_to(site.user("bureau")).filter(center=site.center_b).count())


# The matrix's liaisons are courts'. A police liaison of district A reaches the liaison pages that address no record
# and the police-only rights notifications; every record of organ A (a court) is a 404 for it.
POLICE_ONLY = frozenset({"custody:notifications", "custody:notification_new"})


def test_a_police_liaison_on_every_page(client, site):
    police = Organ.objects.create(name="镇江市公安局京口分局", kind=OrganKind.POLICE, district=site.district_a,
                                  center=site.center_a)
    site.users["police_a"] = make_user("police_a", "organ_liaison", organ=police)
    wrong = []
    for name, rule in sorted(ACCESS.items()):
        url = rule.url(site)
        entitled = name in POLICE_ONLY or (rule.other is None and Role.ORGAN_LIAISON in rule.own)
        status, location = status_as(client, site, "police_a", rule, url)
        if (entitled and not granted(status, location)) or (not entitled and status != 404):
            wrong.append((name, status, "entitled" if entitled else "not entitled"))
    assert not wrong, wrong
