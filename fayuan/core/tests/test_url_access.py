"""Every view and endpoint, every role: entitled roles get the page, everyone else gets 404 (anonymous users are
sent to sign in). A new URL without a row in ACCESS fails ``test_every_url_has_an_access_rule``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fayuan.accounts.roles import CENTER_ROLES, MASTER_DATA_ROLES, OFFICE_ROLES, PERSON_READER_ROLES, Role
from fayuan.accounts.testing import sign_in
from fayuan.conftest import close_response

# The two sign-in steps after the password: before it they send the visitor to sign in (tested in accounts).
PUBLIC = {"healthz", "login", "logout", "otp_verify", "otp_enrol", "privacy_public:notice"}
ROLE_USER = {
    Role.APPLICANT: "applicant", Role.STATION_CLERK: "clerk_a", Role.CENTER_REVIEWER: "reviewer_a",
    Role.CENTER_DIRECTOR: "director_a", Role.PROVIDER: "provider_a", Role.DUTY_LAWYER: "duty_a",
    Role.ORGAN_LIAISON: "organ_a", Role.BUREAU_SUPERVISOR: "bureau_a", Role.SYSTEM_ADMIN: "sysadmin",
    Role.SECURITY_ADMIN: "secadmin", Role.AUDITOR: "auditor",
}

Url = Callable[[Any], str]

STATION_A_READERS = frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})
STATION_A_INTAKE = frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
CASE_READERS = STATION_A_READERS | {Role.PROVIDER, Role.DUTY_LAWYER}
CENTER_A = frozenset({Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
# The states the case URLs need, each reached through the services from the one before it.
CASE_STEPS: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {}


def _step(name: str, after: str) -> Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], Any]]:
    def register(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        CASE_STEPS[name] = (after, fn)
        return fn
    return register


def case_in(c: Any, state: str) -> Any:
    """A case that station A received (so its clerk, center A and the bureau see it) in ``state``, built lazily
    once per test through the services, so only the rows that need a case pay for one."""
    cache = c.__dict__.setdefault("_cases", {})
    if state not in cache:
        from fayuan.cases import services

        if state == "at_station":
            data = services.ApplicationInput(
                applicant_id=c.person_station_a.public_id, case_type="civil", matter="wages",
                matter_summary="追索劳动报酬", opposing_party="某建筑公司", household_size=3,
                household_monthly_income="3000", handling_organ="京口区人民法院")
            cache[state] = services.case_receive(actor=c.user("clerk_a"), data=data)
        else:
            after, step = CASE_STEPS[state]
            case = case_in(c, after)
            step(c, case)
            case.refresh_from_db()
            cache[state] = case
            del cache[after]  # the earlier state is gone: a row asking for it gets a fresh case
    return cache[state]


def _case_url(name: str, state: str) -> Url:
    return lambda c: reverse(name, args=[case_in(c, state).public_id])


@_step("received", after="at_station")
def _forward(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.case_forward(actor=c.user("clerk_a"), public_id=case.public_id)


@_step("supplement", after="received")
def _supplement(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.supplement_request(actor=c.user("reviewer_a"), public_id=case.public_id, items=["工资欠条"])


@_step("granted", after="received")
def _grant(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.case_decide(actor=c.user("reviewer_a"), public_id=case.public_id, kind="grant")


@_step("refused", after="received")
def _refuse(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.case_decide(actor=c.user("reviewer_a"), public_id=case.public_id, kind="refuse", reasons="测试理由")


@_step("aid_first", after="received")
def _aid_first(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.case_decide(actor=c.user("reviewer_a"), public_id=case.public_id, kind="aid_first",
                         reasons="诉讼时效即将届满")


@_step("objection", after="refused")
def _object(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.objection_file(actor=c.user("reviewer_a"), public_id=case.public_id, grounds="申请人不服")


@_step("assigned", after="granted")
def _assign(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.case_assign(actor=c.user("reviewer_a"), public_id=case.public_id,
                         provider_id=c.user("provider_a").provider_id, reason="测试指定承办人员")


@_step("accepted", after="assigned")
def _accept(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.assignment_accept(actor=c.user("provider_a"), public_id=case.public_id)


@_step("signed", after="accepted")
def _sign(c: Any, case: Any) -> None:
    from django.utils import timezone

    from fayuan.cases import services

    services.agreement_record(actor=c.user("provider_a"), public_id=case.public_id, signed_on=timezone.localdate())


@_step("closing", after="signed")
def _submit_closing(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.closing_submit(actor=c.user("provider_a"), public_id=case.public_id, outcome="won",
                            report="判决支持全部诉讼请求，已执行完毕。")


@_step("closed", after="closing")
def _accept_closing(c: Any, case: Any) -> None:
    from fayuan.cases import services

    services.closing_review(actor=c.user("reviewer_a"), public_id=case.public_id, accept=True)


def _file_url(c: Any) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fayuan.cases import services

    case = case_in(c, "at_station")
    upload = SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    record = services.case_file_add(actor=c.user("clerk_a"), case=case, kind="id_document", upload=upload)
    return reverse("cases:file", args=[case.public_id, record.public_id])


def _document_url(c: Any) -> str:
    case = case_in(c, "granted")
    return reverse("case_documents:document", args=[case.public_id, case.documents.get(kind="grant_decision").pk])

# url name -> (method, how to build the URL from the city fixture, roles that may use it)
ACCESS: dict[str, tuple[str, Url, frozenset[str]]] = {
    "accounts:home": ("get", lambda c: reverse("accounts:home"), OFFICE_ROLES),
    "accounts:password_change": ("get", lambda c: reverse("accounts:password_change"), OFFICE_ROLES),
    "accounts:otp_accounts": ("get", lambda c: reverse("accounts:otp_accounts"), frozenset({Role.SECURITY_ADMIN})),
    "accounts:otp_reset": ("post", lambda c: reverse("accounts:otp_reset", args=[c.user("reviewer_a").pk]),
                           frozenset({Role.SECURITY_ADMIN})),
    "org:districts": ("get", lambda c: reverse("org:districts"), MASTER_DATA_ROLES),
    "org:centers": ("get", lambda c: reverse("org:centers"), MASTER_DATA_ROLES),
    "org:stations": ("get", lambda c: reverse("org:stations"), MASTER_DATA_ROLES),
    "org:providers": ("get", lambda c: reverse("org:providers"), MASTER_DATA_ROLES),
    "org:provider": ("get", lambda c: reverse("org:provider", args=[c.user("provider_a").provider_id]),
                     MASTER_DATA_ROLES),
    "org:staff": ("get", lambda c: reverse("org:staff"), MASTER_DATA_ROLES),
    "people:list": ("get", lambda c: reverse("people:list"), PERSON_READER_ROLES),
    "people:find": ("post", lambda c: reverse("people:find"), PERSON_READER_ROLES),
    "people:new": ("get", lambda c: reverse("people:new"),
                   frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})),
    # Person pages are object-scoped: the person is registered at station A of center A.
    "people:detail": ("get", lambda c: reverse("people:detail", args=[c.person_station_a.public_id]),
                      frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR,
                                 Role.BUREAU_SUPERVISOR})),
    "people:edit": ("get", lambda c: reverse("people:edit", args=[c.person_station_a.public_id]),
                    frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})),
    "people:reveal": ("post", lambda c: reverse("people:reveal", args=[c.person_station_a.public_id]),
                      frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})),
    "deadlines:queue": ("get", lambda c: reverse("deadlines:queue"), CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "stats:assignment_spread": ("get", lambda c: reverse("stats:assignment_spread"),
                                CENTER_ROLES | {Role.BUREAU_SUPERVISOR}),
    "notifications:list": ("get", lambda c: reverse("notifications:list"), OFFICE_ROLES),
    # Marking read is scoped to one's own notifications: the id of the reviewer's own notification.
    "notifications:read": ("post", lambda c: reverse("notifications:read", args=[c.notification_id]),
                           frozenset({Role.CENTER_REVIEWER})),
    # Case pages: a case received at station A (see case_in); each action URL with the case in a state that
    # allows it, so the entitled roles get the form (GET) and everyone else 404.
    "cases:queue": ("get", lambda c: reverse("cases:queue"), CASE_READERS),
    "cases:new": ("get", lambda c: reverse("cases:new"), STATION_A_INTAKE),
    "cases:detail": ("get", _case_url("cases:detail", "at_station"), STATION_A_READERS),
    "cases:file": ("get", _file_url, STATION_A_READERS),
    "case_documents:document": ("get", _document_url, STATION_A_READERS),
    "cases:forward": ("get", _case_url("cases:forward", "at_station"), STATION_A_INTAKE),
    "cases:withdraw": ("get", _case_url("cases:withdraw", "at_station"), STATION_A_INTAKE),
    "cases:materials": ("get", _case_url("cases:materials", "at_station"), STATION_A_INTAKE),
    "cases:decide": ("get", _case_url("cases:decide", "received"), CENTER_A),
    "cases:supplement": ("get", _case_url("cases:supplement", "received"), CENTER_A),
    "cases:start_review": ("get", _case_url("cases:start_review", "received"), CENTER_A),
    "cases:aid_first_confirm": ("get", _case_url("cases:aid_first_confirm", "aid_first"), CENTER_A),
    "cases:supplement_received": ("get", _case_url("cases:supplement_received", "supplement"), STATION_A_INTAKE),
    "cases:assign": ("get", _case_url("cases:assign", "granted"), CENTER_A),
    "cases:terminate": ("get", _case_url("cases:terminate", "granted"), CENTER_A),
    "cases:objection": ("get", _case_url("cases:objection", "refused"), CENTER_A),
    "cases:objection_decision": ("get", _case_url("cases:objection_decision", "objection"),
                                 frozenset({Role.BUREAU_SUPERVISOR})),
    # Assigned to provider_a: the duty lawyer (another provider) does not see the case at all.
    "cases:accept": ("get", _case_url("cases:accept", "assigned"), frozenset({Role.PROVIDER})),
    "cases:decline": ("get", _case_url("cases:decline", "assigned"), frozenset({Role.PROVIDER})),
    "cases:change_provider": ("get", _case_url("cases:change_provider", "assigned"), CENTER_A),
    "cases:agreement": ("get", _case_url("cases:agreement", "accepted"), CENTER_A | {Role.PROVIDER}),
    "cases:progress": ("get", _case_url("cases:progress", "signed"), frozenset({Role.PROVIDER})),
    "cases:closing": ("get", _case_url("cases:closing", "signed"), frozenset({Role.PROVIDER})),
    "cases:closing_review": ("get", _case_url("cases:closing_review", "closing"), CENTER_A),
    "cases:archive": ("get", _case_url("cases:archive", "closed"), CENTER_A),
    "consultations:list": ("get", lambda c: reverse("consultations:list"), STATION_A_READERS),
    "consultations:new": ("get", lambda c: reverse("consultations:new"), STATION_A_INTAKE),
    "audit:list": ("get", lambda c: reverse("audit:list"), frozenset({Role.AUDITOR})),
    "audit:grants": ("get", lambda c: reverse("audit:grants"), frozenset({Role.AUDITOR})),
    # 三员分立: granting roles and scopes is the security administrator's alone (reviewer_a's account page).
    "security:accounts": ("get", lambda c: reverse("security:accounts"), frozenset({Role.SECURITY_ADMIN})),
    "security:account": ("get", lambda c: reverse("security:account", args=[c.user("reviewer_a").pk]),
                         frozenset({Role.SECURITY_ADMIN})),
    "security:grant": ("get", lambda c: reverse("security:grant", args=[c.user("reviewer_a").pk]),
                       frozenset({Role.SECURITY_ADMIN})),
    "security:revoke": ("get", lambda c: reverse("security:revoke", args=[c.user("reviewer_a").pk]),
                        frozenset({Role.SECURITY_ADMIN})),
    "audit:verify": ("post", lambda c: reverse("audit:verify"), frozenset({Role.AUDITOR})),
    "audit:verify_start": ("post", lambda c: reverse("audit:verify_start"), frozenset({Role.AUDITOR})),
    # A background task's page is its owner's alone: the reviewer's own task.
    "tasks:progress": ("get", lambda c: reverse("tasks:progress", args=[c.progress_id]),
                       frozenset({Role.CENTER_REVIEWER})),
    "tasks:cancel": ("post", lambda c: reverse("tasks:cancel", args=[c.progress_id]),
                     frozenset({Role.CENTER_REVIEWER})),
    # Privacy duties (PIPL): the record for every office role; a person's access report for the staff who hold
    # the person and the auditor; the export for the staff who hold the person; an applicant's own download.
    "privacy:record": ("get", lambda c: reverse("privacy:record"), OFFICE_ROLES),
    "privacy:access": ("get", lambda c: reverse("privacy:access", args=[c.person_station_a.public_id]),
                       STATION_A_INTAKE | {Role.AUDITOR}),
    "privacy:access_lookup": ("post", lambda c: reverse("privacy:access_lookup"), frozenset({Role.AUDITOR})),
    "privacy:export": ("post", lambda c: reverse("privacy:export", args=[c.person_station_a.public_id]),
                       STATION_A_INTAKE),
    "privacy_public:my_data": ("get", lambda c: reverse("privacy_public:my_data"), frozenset({Role.APPLICANT})),
    "admin:index": ("get", lambda c: reverse("admin:index"), frozenset({Role.SYSTEM_ADMIN})),
    "admin:org_provider_changelist": ("get", lambda c: reverse("admin:org_provider_changelist"),
                                      frozenset({Role.SYSTEM_ADMIN})),
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
                continue  # every API endpoint has its own denial tests in fayuan/api/tests
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
    """The city plus the records some URLs address (a notification of the reviewer's own); cases are built on
    demand by ``case_in``. Uploaded and rendered files go to a temporary media root."""
    settings.MEDIA_ROOT = tmp_path
    from fayuan.core.progress import task_progress_start
    from fayuan.notifications.services import notification_send

    city.notification_id = notification_send(user=city.user("reviewer_a"), title="测试", body="测试通知").pk
    city.progress_id = task_progress_start(owner=city.user("reviewer_a"), label="测试任务").pk
    return city


CASES = [(name, role) for name in ACCESS for role in Role]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_access(client, site, name, role):
    method, url_of, allowed = ACCESS[name]
    sign_in(client, site.user(ROLE_USER[role]))
    data = {"purpose": "核对申请人身份", "id_number": "11010519491231002X",
            "object_id": site.person_station_a.pk} if method == "post" else {}
    response = getattr(client, method)(url_of(site), data)
    close_response(response)  # a streamed download holds its file open until closed
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == 404, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_anonymous_is_sent_to_sign_in(client, site, name):
    method, url_of, _ = ACCESS[name]
    response = getattr(client, method)(url_of(site))
    assert response.status_code == 302
    # Applicants sign in with an SMS code on the public site; everyone else on the office sign-in.
    sign_in = reverse("portal:signin") if ACCESS[name][2] == {Role.APPLICANT} else "/accounts/login/"
    assert response["Location"].startswith(sign_in)


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
