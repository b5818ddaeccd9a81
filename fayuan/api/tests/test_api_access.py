"""Every API operation, every role, every scope (issue 9 item 10). The operations are read from the OpenAPI
document, so a new operation without a row in API_ACCESS fails ``test_every_operation_has_an_access_rule``.

The convention the API documents: entitled callers get the operation's success status; a caller who cannot see
the addressed record gets 404 (the same as a record that does not exist); a caller who sees it but may not do
the operation gets 403; no credentials get 401. The personas and the case states are those of the page matrix
(``fayuan/core/tests/access_support.py``): own scope, another scope, and a provider whose assignment ended.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from fayuan.accounts.roles import INTAKE_ROLES, Role
from fayuan.api.api import api
from fayuan.conftest import valid_id
from fayuan.core.tests.access_support import (
    FORMER_PERSONAS,
    FORMER_STATES,
    OWN,
    OWN_AND_OTHER,
    PROVIDER_STATES,
    Cases,
    add_personas,
)

from .conftest import BASE, token_for

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(Role)
CENTER_A = frozenset({Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
STATION_A_INTAKE = frozenset({Role.STATION_CLERK, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR})
HOLDER = frozenset({Role.PROVIDER})  # provider_a holds the assignment in the own world
# Who sees a case (and its applicant) of station A, by persona: station A, center A, every bureau (the city-wide
# supervisor reads all), and the provider holding the assignment. Written out here, not asked of the selectors.
STATION_A_SEERS = frozenset({"clerk_a", "reviewer_a", "director_a", "bureau_a"})


def sees(key: str, state: str | None) -> bool:
    return key in STATION_A_SEERS or (key == "provider_a" and state in PROVIDER_STATES)


Body = Callable[[Any], dict[str, Any]]
_ids = itertools.count(100)


def _application(c: Any) -> dict[str, Any]:
    return {"applicant_id": str(c.person_station_a.public_id), "case_type": "civil", "matter": "wages",
            "matter_summary": "追索劳动报酬", "opposing_party": "某建筑公司", "household_size": 3,
            "household_monthly_income": "3000", "handling_organ": "京口区人民法院"}


def _person(c: Any) -> dict[str, Any]:
    return {"name": "钱七", "id_number": valid_id(next(_ids))}  # a new number on every call


def _eligibility(c: Any) -> dict[str, Any]:
    return {"district_code": "321102", "application_date": str(timezone.localdate()), "case_type": "civil",
            "matter": "wages", "household_size": 3, "household_monthly_income": "3000.00"}


def _today(c: Any) -> dict[str, Any]:
    return {"signed_on": str(timezone.localdate())}


def _progress(c: Any) -> dict[str, Any]:
    return {"kind": "meeting", "occurred_on": str(timezone.localdate()), "summary": "会见受援人，了解案情。"}


def _forwarding_in(c: Any) -> dict[str, Any]:
    return {"name": "钱七", "criminal_stage": "investigation", "matter_summary": "涉嫌盗窃罪"}


def _forwarding(site: Any) -> Any:
    """A forwarding center A's court (organ_a) recorded (Legal Aid Law art. 39), made once per test."""
    if not hasattr(site, "custody_forwarding"):
        from fayuan.custody.services import ForwardingInput, forwarding_record

        site.custody_forwarding = forwarding_record(actor=site.user("organ_a"), data=ForwardingInput(
            name="钱七", criminal_stage="trial"))
    return site.custody_forwarding


def _fixed(body: dict[str, Any]) -> Body:
    return lambda c: body


@dataclass(frozen=True)
class Op:
    own: frozenset[str]  # roles entitled from their own scope
    ok: int = 200
    state: str | None = None  # the case state the path addresses (or whose applicant it addresses)
    body: Body | None = None
    other: frozenset[str] = NOBODY  # roles entitled from another scope
    target: str = "case"  # "case", "person" (the applicant of the case in ``state``), or "" (no record)
    writes: bool = True  # an entitled call changes the case: each entitled persona gets a case of its own
    # Without a record in the path, a role that may not is refused (403); an entitled role from another scope
    # whose request names a record outside it gets ``refused_other`` (404: it is not theirs to know).
    refused_other: int | None = None

    def entitled(self, role: str, scope: str) -> bool:
        return role in (self.own if scope == OWN else self.other)

    def denial(self, role: str, key: str, scope: str) -> int:
        if self.target == "forwarding":
            return 404  # a forwarding is its organ's, its center's and the supervising bureau's alone
        if self.target == "notice":  # an organ's notice is no secret only to those who may read it
            return 404
        if not self.target:
            return self.refused_other if self.refused_other and scope != OWN and role in self.own else 403
        return 403 if sees(key, self.state) else 404


def _notice(c: Any) -> dict[str, Any]:
    return {"kind": "defense", "name": "孙某", "stage": "trial", "ground": "blind_deaf_mute", "charge": "盗窃罪"}


def notice_of(site: Any) -> Any:
    """A notice of organ A (its notices go to center A), made once per site."""
    if not hasattr(site, "notice"):
        from fayuan.criminal.tests.support import send_notice

        site.notice = send_notice(site)
    return site.notice


# An organ's notice: its organ's liaison, center A's staff and the bureau that supervises center A.
NOTICE_SEERS = frozenset({Role.ORGAN_LIAISON, Role.CENTER_REVIEWER, Role.CENTER_DIRECTOR, Role.BUREAU_SUPERVISOR})


def action(state: str, own: frozenset[str], body: Body | None = None) -> Op:
    return Op(own, state=state, body=body)


# "METHOD /path" as in the OpenAPI document -> who may call it.
API_ACCESS: dict[str, Op] = {
    # Open: the public self-check (rate-limited per address for anonymous callers).
    "POST /eligibility/check": Op(EVERYONE, state=None, body=_eligibility, other=EVERYONE, target="",
                                  writes=False),
    # Lists are scoped, never refused: every signed-in caller gets their own (possibly empty) page.
    "GET /cases": Op(EVERYONE, other=EVERYONE, target="", writes=False),
    "GET /people": Op(EVERYONE, other=EVERYONE, target="", writes=False),
    # The phone search goes in the body (no number in a URL), scoped like the list.
    "POST /people/search": Op(EVERYONE, body=_fixed({"q": "13800000001"}), other=EVERYONE, target="", writes=False),
    "GET /cases/{public_id}": Op(STATION_A_INTAKE | HOLDER | {Role.BUREAU_SUPERVISOR}, state="signed",
                                 writes=False),
    "GET /people/{public_id}": Op(STATION_A_INTAKE | HOLDER | {Role.BUREAU_SUPERVISOR}, state="signed",
                                  target="person", writes=False),
    # Receiving for person_station_a: station B and center B do not see the applicant (404).
    "POST /cases": Op(STATION_A_INTAKE, 201, body=_application, target="", writes=False, refused_other=404),
    # Registering is not scoped: every intake role registers at its own station or center.
    "POST /people": Op(INTAKE_ROLES, 201, body=_person, other=INTAKE_ROLES, target="", writes=False),
    "POST /cases/{public_id}/forward": action("at_station", STATION_A_INTAKE),
    "POST /cases/{public_id}/withdraw": action("at_station", STATION_A_INTAKE, _fixed({"reason": "申请人撤回申请"})),
    "POST /cases/{public_id}/supplement-request": action("received", CENTER_A, _fixed({"items": ["工资欠条"]})),
    "POST /cases/{public_id}/supplement-received": action("supplement", STATION_A_INTAKE, _fixed({"note": ""})),
    "POST /cases/{public_id}/assess": action("received", CENTER_A),
    "POST /cases/{public_id}/decide": action("received", CENTER_A, _fixed({"kind": "grant", "reasons": ""})),
    "POST /cases/{public_id}/aid-first-confirm": action("aid_first", CENTER_A, _fixed({"reasons": ""})),
    "POST /cases/{public_id}/assign": action("granted", CENTER_A, lambda c: {
        "provider_id": c.user("provider_a").provider_id, "reason": "测试指定承办人员"}),
    "POST /cases/{public_id}/terminate": action("granted", CENTER_A, _fixed({
        "reason": "recipient_request", "explanation": "受援人自行委托律师。"})),
    "POST /cases/{public_id}/objection": action("refused", CENTER_A, _fixed({"grounds": "申请人不服"})),
    "POST /cases/{public_id}/objection-decision": action("objection", frozenset({Role.BUREAU_SUPERVISOR}), _fixed({
        "uphold": True, "reasons": "原决定认定事实清楚。"})),
    "POST /cases/{public_id}/accept": action("assigned", HOLDER),
    "POST /cases/{public_id}/decline": action("assigned", HOLDER, _fixed({"reason": "与对方当事人有利害关系"})),
    "POST /cases/{public_id}/change-provider": action("assigned", CENTER_A, lambda c: {
        "reason": "受援人申请更换", "provider_id": c.user("provider_c").provider_id}),
    "POST /cases/{public_id}/agreement": action("accepted", CENTER_A | HOLDER, _today),
    "POST /cases/{public_id}/progress": action("signed", HOLDER, _progress),
    "POST /cases/{public_id}/closing": action("signed", HOLDER, _fixed({
        "outcome": "won", "report": "判决支持全部诉讼请求，已执行完毕。"})),
    "POST /cases/{public_id}/closing-review": action("closing", CENTER_A, _fixed({"accept": True})),
    "POST /cases/{public_id}/archive": action("closed", CENTER_A),
    # Custody (issue 11): an organ's liaison (any organ, for its own) or a duty lawyer records and forwards; the
    # record is read by its organ, the center it went to and the bureau that set that center up.
    "POST /forwardings": Op(frozenset({Role.ORGAN_LIAISON, Role.DUTY_LAWYER}), 201, body=_forwarding_in,
                            other=frozenset({Role.ORGAN_LIAISON}), target="", writes=False),
    "GET /forwardings/{public_id}": Op(frozenset({Role.ORGAN_LIAISON, Role.BUREAU_SUPERVISOR}) | CENTER_A,
                                       target="forwarding", writes=False),
    # Organs' notices: every liaison sends for its own organ (the token's); the list is scoped, never refused.
    "POST /notices": Op(frozenset({Role.ORGAN_LIAISON}), 201, body=_notice, other=frozenset({Role.ORGAN_LIAISON}),
                        target="", writes=False),
    "GET /notices": Op(EVERYONE, other=EVERYONE, target="", writes=False),
    "GET /notices/{public_id}": Op(NOTICE_SEERS, target="notice", writes=False),
}
# The documents themselves: open to everyone (they describe the API, not its records).
DOCS = frozenset({"openapi-json", "openapi-view"})


def operations() -> set[str]:
    document = api.get_openapi_schema(path_prefix="")
    return {f"{method.upper()} {path}" for path, ops in document["paths"].items() for method in ops}


def test_every_operation_has_an_access_rule():
    found = operations()
    assert not found - set(API_ACCESS), f"operations without an access rule: {sorted(found - set(API_ACCESS))}"
    assert not set(API_ACCESS) - found, f"rules for operations that are gone: {sorted(set(API_ACCESS) - found)}"


def test_every_api_url_is_an_operation_or_the_documents():
    """Every URL under the api namespace serves operations of the document (each with its rule) or the document."""
    mounted = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    paths = {key.split(" ", 1)[1] for key in API_ACCESS}
    others = {p.name for p in mounted.url_patterns
              if "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)).rstrip("/") not in paths}
    assert others == DOCS | {"api-root"}


@pytest.fixture
def site(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_personas(city)
    city.cases = Cases(city)
    city.tokens = {}
    return city


def call(site: Any, key: str | None, key_op: str, op: Op, case: Any = None) -> Any:
    """The operation as persona ``key`` (None: no credentials), on ``case`` (or the applicant of it)."""
    method, path = key_op.split(" ", 1)
    if "{public_id}" in path:
        record = (_forwarding(site) if op.target == "forwarding" else notice_of(site) if op.target == "notice"
                  else case.applicant if op.target == "person" else case)
        path = path.replace("{public_id}", str(record.public_id))
    headers = {}
    if key is not None:
        if key not in site.tokens:
            site.tokens[key] = token_for(site.user(key))
        headers["Authorization"] = f"Bearer {site.tokens[key]}"
    client = Client()
    if method == "GET":
        return client.get(BASE + path, headers=headers)
    body = op.body(site) if op.body else None
    return client.post(BASE + path, "" if body is None else json.dumps(body), content_type="application/json",
                       headers=headers)


def _case(site: Any, op: Op, *, fresh: bool = False) -> Any:
    return site.cases.get(op.state, fresh=fresh) if op.state else None


@pytest.mark.parametrize("key_op", sorted(API_ACCESS))
def test_every_role_in_its_own_and_another_scope(site, key_op):
    """The refusals first, on one case (a refused call changes nothing); then each entitled persona, on a case of
    its own when the call changes the case."""
    op = API_ACCESS[key_op]
    case = _case(site, op)
    wrong, entitled = [], []
    for role, scope, key in OWN_AND_OTHER:
        if op.entitled(role, scope):
            entitled.append((role, scope, key))
            continue
        response = call(site, key, key_op, op, case)
        if response.status_code != op.denial(role, key, scope):
            wrong.append((key, scope, response.status_code, f"expected {op.denial(role, key, scope)}"))
    for i, (_role, scope, key) in enumerate(entitled):
        target = _case(site, op, fresh=True) if op.writes and i > 0 else case
        response = call(site, key, key_op, op, target)
        if response.status_code != op.ok:
            wrong.append((key, scope, response.status_code, response.content.decode()[:200]))
    assert not wrong, f"{key_op}: {wrong}"


FORMER_OPS = sorted(key for key, op in API_ACCESS.items() if op.state in FORMER_STATES)


@pytest.mark.parametrize("key_op", FORMER_OPS)
def test_a_provider_whose_assignment_ended_gets_404(site, key_op):
    site.cases = Cases(site, former=True)
    op = API_ACCESS[key_op]
    case = _case(site, op)
    wrong = [(key, status) for _role, key in FORMER_PERSONAS
             if (status := call(site, key, key_op, op, case).status_code) != 404]
    assert not wrong, f"{key_op}: {wrong}"


def test_a_former_provider_no_longer_lists_the_case_or_the_person(site):
    site.cases = Cases(site, former=True)
    case = site.cases.get("signed")
    for _role, key in FORMER_PERSONAS:
        cases = call(site, key, "GET /cases", API_ACCESS["GET /cases"]).json()
        people = call(site, key, "GET /people", API_ACCESS["GET /people"]).json()
        assert str(case.public_id) not in {c["public_id"] for c in cases["items"]}, key
        assert str(case.applicant.public_id) not in {p["public_id"] for p in people["items"]}, key
    successor = site.cases.lawyer(case).username
    assert str(case.public_id) in {c["public_id"] for c in call(
        site, successor, "GET /cases", API_ACCESS["GET /cases"]).json()["items"]}


@pytest.mark.parametrize("key_op", sorted(API_ACCESS))
def test_no_credentials_is_401(site, key_op):
    op = API_ACCESS[key_op]
    response = call(site, None, key_op, op, _case(site, op))
    if key_op == "POST /eligibility/check":
        assert response.status_code == 200  # the public self-check
    else:
        assert response.status_code == 401, response.content
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("name", sorted(DOCS))
def test_the_documents_are_open(client, name):
    assert client.get(BASE + {"openapi-json": "/openapi.json", "openapi-view": "/docs"}[name]).status_code == 200
