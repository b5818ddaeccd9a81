"""The personas and case states of the authorization matrix, shared by the page matrix (``test_url_access``) and
the API matrix (``fayuan/api/tests/test_api_access``).

Every role is played in up to three scopes against records of station A (center A, district A):

- own: the record is theirs to see (station A's clerk, center A's staff, the district bureau that set up center A,
  the provider holding the case's assignment);
- other: the same role elsewhere (station B, center B, district B's bureau, a provider of center B never assigned);
- former: a provider whose assignment on the case ended: provider_a declined, duty_a was replaced at the
  recipient's request or their aid was terminated; another lawyer (provider_c) carries the case on.

Roles without a scope of records (system and security administrators, the auditor) are played once. The applicant
persona is not a party to the matrix case; an applicant's own records are the portal's (portal/tests/test_access).
Every state is reached through the services, never by writing ``status``.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.conftest import make_user
from fayuan.org.models import Provider, ProviderKind
from fayuan.org.testing import put_in_defense_pool

OWN, OTHER, FORMER = "own", "other", "former"

PERSONAS: dict[str, dict[str, str]] = {
    Role.APPLICANT: {OWN: "applicant"},
    Role.STATION_CLERK: {OWN: "clerk_a", OTHER: "clerk_b"},
    Role.CENTER_REVIEWER: {OWN: "reviewer_a", OTHER: "reviewer_b"},
    Role.CENTER_DIRECTOR: {OWN: "director_a", OTHER: "director_b"},
    Role.PROVIDER: {OWN: "provider_a", OTHER: "provider_b", FORMER: "provider_a"},
    # The duty lawyer of center A holds no assignment on the matrix case in the own world (provider_a does).
    Role.DUTY_LAWYER: {OWN: "duty_a", FORMER: "duty_a"},
    Role.ORGAN_LIAISON: {OWN: "organ_a", OTHER: "organ_b"},
    Role.BUREAU_SUPERVISOR: {OWN: "bureau_a", OTHER: "bureau_b"},
    Role.SYSTEM_ADMIN: {OWN: "sysadmin"},
    Role.SECURITY_ADMIN: {OWN: "secadmin"},
    Role.AUDITOR: {OWN: "auditor"},
}
assert set(PERSONAS) == set(Role), "every role needs its personas in the authorization matrix"

# (role, scope, username) for the own and other scopes; the former scope is checked in a world of its own.
OWN_AND_OTHER = [(role, scope, key) for role, by_scope in PERSONAS.items() for scope, key in by_scope.items()
                 if scope != FORMER]
FORMER_PERSONAS = [(role, by_scope[FORMER]) for role, by_scope in PERSONAS.items() if FORMER in by_scope]


def sign_in(client: Any, user: User) -> None:
    """The one place the matrix signs a persona in: with both factors, as a real session after sign-in is."""
    from fayuan.accounts.testing import sign_in as sign_in_with_both_factors

    sign_in_with_both_factors(client, user)


def add_personas(city: Any) -> None:
    """The other-scope and successor personas the shared city does not have."""
    center_a, center_b = city.center_a, city.center_b
    provider_b = Provider.objects.create(name="陈律师", kind=ProviderKind.LAWYER, license_number="13211800000000003",
                                         home_center=center_b)
    provider_c = Provider.objects.create(name="周律师", kind=ProviderKind.LAWYER, license_number="13211200000000004",
                                         home_center=center_a)
    put_in_defense_pool(provider_b, provider_c)
    city.users.update({
        "director_b": make_user("director_b", "center_director", center=center_b),
        "provider_b": make_user("provider_b", "provider", provider=provider_b),
        "provider_c": make_user("provider_c", "provider", provider=provider_c),
        "organ_b": make_user("organ_b", "organ_liaison", organ=city.organ_b),
        "bureau_b": make_user("bureau_b", "bureau_supervisor", district=center_b.district),
    })


class NotReachable(Exception):
    """The state has no path on which a provider's assignment ended before it (nothing was ever assigned)."""


# States in which provider_a holds the active assignment (the own world); the person pages follow them.
PROVIDER_STATES = frozenset({"assigned", "accepted", "signed", "closing", "closed"})
# States the former world reaches (after an assignment ended); the others come before any assignment.
FORMER_STATES = frozenset({"granted", "objection"}) | PROVIDER_STATES


class Cases:
    """Cases received at station A (for ``city.person_station_a``), one per state, built on demand through the
    services and kept for the test. ``former=True``: the same states on a case whose earlier providers left."""

    def __init__(self, city: Any, *, former: bool = False) -> None:
        self.city, self.former = city, former
        self.built: dict[str, Any] = {}

    def user(self, key: str) -> User:
        return self.city.user(key)

    def get(self, state: str, *, fresh: bool = False) -> Any:
        if fresh or state not in self.built:
            case = self._build(state)
            case.refresh_from_db()
            if fresh:
                return case
            self.built[state] = case
        return self.built[state]

    def lawyer(self, case: Any) -> User:
        case.refresh_from_db()
        return User.objects.get(provider=case.provider)

    def _build(self, state: str) -> Any:
        from fayuan.cases import services

        reviewer = self.user("reviewer_a")
        if self.former and state not in FORMER_STATES:
            raise NotReachable(state)
        if state == "at_station":
            data = services.ApplicationInput(
                applicant_id=self.city.person_station_a.public_id, case_type="civil", matter="wages",
                matter_summary="追索劳动报酬", opposing_party="某建筑公司", household_size=3,
                household_monthly_income="3000", handling_organ="京口区人民法院")
            return services.case_receive(actor=self.user("clerk_a"), data=data)
        before = {"received": "at_station", "supplement": "received", "granted": "received", "refused": "received",
                  "aid_first": "received", "objection": "refused", "assigned": "granted", "accepted": "assigned",
                  "signed": "accepted", "closing": "signed", "closed": "closing"}[state]
        if self.former:
            return self._build_former(state)
        case = self._build(before)
        pid = case.public_id
        if state == "received":
            services.case_forward(actor=self.user("clerk_a"), public_id=pid)
        elif state == "supplement":
            services.supplement_request(actor=reviewer, public_id=pid, items=["工资欠条"])
        elif state in ("granted", "refused", "aid_first"):
            reasons = {"granted": "", "refused": "测试理由", "aid_first": "诉讼时效即将届满"}[state]
            kind = {"granted": "grant", "refused": "refuse", "aid_first": "aid_first"}[state]
            services.case_decide(actor=reviewer, public_id=pid, kind=kind, reasons=reasons)
        elif state == "objection":
            services.objection_file(actor=reviewer, public_id=pid, grounds="申请人不服")
        elif state == "assigned":
            self._assign(case, "provider_a")
        else:
            self._handle(case, state)
        return case

    def _assign(self, case: Any, key: str) -> None:
        from fayuan.cases import services

        services.case_assign(actor=self.user("reviewer_a"), public_id=case.public_id,
                             provider_id=self.user(key).provider_id, reason="测试指定承办人员")

    def _handle(self, case: Any, state: str) -> None:
        """accepted → signed → closing → closed, by whoever holds the assignment."""
        from fayuan.cases import services

        pid, lawyer = case.public_id, self.lawyer(case)
        if state == "accepted":
            services.assignment_accept(actor=lawyer, public_id=pid)
        elif state == "signed":
            services.agreement_record(actor=lawyer, public_id=pid, signed_on=timezone.localdate())
        elif state == "closing":
            services.closing_submit(actor=lawyer, public_id=pid, outcome="won",
                                    report="判决支持全部诉讼请求，已执行完毕。")
        elif state == "closed":
            services.closing_review(actor=self.user("reviewer_a"), public_id=pid, accept=True)

    def _build_former(self, state: str) -> Any:
        """provider_a is assigned and declines; then duty_a is assigned and declines (granted), is replaced at the
        recipient's request by provider_c (assigned and on), or handles the case until the aid is terminated and
        the applicant objects (objection)."""
        from fayuan.cases import services

        reviewer = self.user("reviewer_a")
        if state in PROVIDER_STATES - {"assigned"}:
            order = ["assigned", "accepted", "signed", "closing", "closed"]
            case = self._build_former(order[order.index(state) - 1])
            self._handle(case, state)
            return case
        case = Cases(self.city).get("granted", fresh=True)
        pid = case.public_id
        self._assign(case, "provider_a")
        services.assignment_decline(actor=self.user("provider_a"), public_id=pid, reason="与对方当事人有利害关系")
        self._assign(case, "duty_a")
        if state == "granted":
            services.assignment_decline(actor=self.user("duty_a"), public_id=pid, reason="近期出庭安排冲突")
        elif state == "assigned":
            services.case_change_provider(actor=reviewer, public_id=pid, reason="受援人申请更换",
                                          provider_id=self.user("provider_c").provider_id)
        elif state == "objection":
            services.assignment_accept(actor=self.user("duty_a"), public_id=pid)
            services.case_terminate(actor=reviewer, public_id=pid, reason="recipient_request",
                                    explanation="受援人自行委托律师。")
            services.objection_file(actor=reviewer, public_id=pid, grounds="申请人不服终止决定")
        return case

    def file_url_args(self, state: str) -> tuple[Any, Any]:
        """A file added to the case in ``state`` now (so, in the former world, after the providers left)."""
        from fayuan.cases import services

        case = self.get(state)
        upload = SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
        record = services.case_file_add(actor=self.user("reviewer_a"), case=case, kind="id_document", upload=upload)
        return case.public_id, record.public_id
