"""Every URL of the public site has a rule here, as ``core/tests/test_url_access.py`` does for the office: public
pages open to everyone; the applicant's pages for the applicant only (everyone else 404, anonymous visitors to the
SMS sign-in); the office report for center staff and the bureau."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from fayuan.accounts.roles import Role
from fayuan.accounts.testing import sign_in
from fayuan.core.tests.test_url_access import ROLE_USER

from .helpers import URLS

pytestmark = pytest.mark.urls(URLS)
APPLICANT = frozenset({Role.APPLICANT})
EVERYONE = frozenset(Role)
Url = Callable[[Any], str]


def _case(c: Any) -> Any:
    """A counter application by the persona applicant, whose person record staff linked to the account."""
    cache = c.__dict__.setdefault("_portal_case", [])
    if not cache:
        from fayuan.cases import services

        data = services.ApplicationInput(
            applicant_id=c.applicant_person.public_id, case_type="civil", matter="wages",
            matter_summary="追索劳动报酬", household_size=3, household_monthly_income="3000")
        cache.append(services.case_receive(actor=c.user("reviewer_a"), data=data))
    return cache[0]


def _case_url(name: str) -> Url:
    return lambda c: reverse(name, args=[_case(c).public_id])


def _typical_case_url(c: Any) -> str:
    """An accepted (published) typical case of center A, made once per test."""
    cache = c.__dict__.setdefault("_typical_case", [])
    if not cache:
        from fayuan.typical_cases.tests.support import accepted

        cache.append(accepted(c))
    return reverse("portal:typical_case", args=[cache[0].public_id])


# url name -> (method, url builder, roles that get the page; None = public, anonymous visitors too)
ACCESS: dict[str, tuple[str, Url, frozenset[str] | None]] = {
    "portal:home": ("get", lambda c: reverse("portal:home"), None),
    "portal:guide": ("get", lambda c: reverse("portal:guide"), None),
    "portal:who": ("get", lambda c: reverse("portal:who"), None),
    "portal:bring": ("get", lambda c: reverse("portal:bring"), None),
    "portal:hotline": ("get", lambda c: reverse("portal:hotline"), None),
    "portal:stations": ("get", lambda c: reverse("portal:stations"), None),
    "portal:self_check": ("get", lambda c: reverse("portal:self_check"), None),
    "portal:lawyers": ("get", lambda c: reverse("portal:lawyers"), None),
    "portal:lawyer_team": ("get", lambda c: reverse("portal:lawyer_team"), None),
    "portal:privacy": ("get", lambda c: reverse("portal:privacy"), None),
    "portal:typical_cases": ("get", lambda c: reverse("portal:typical_cases"), None),
    "portal:typical_case": ("get", _typical_case_url, None),
    "portal:mode": ("get", lambda c: reverse("portal:mode"), None),
    "portal:signin": ("get", lambda c: reverse("portal:signin"), None),
    "portal:signin_verify": ("get", lambda c: reverse("portal:signin_verify"), None),
    "portal:signout": ("post", lambda c: reverse("portal:signout"), None),
    "portal:apply": ("get", lambda c: reverse("portal:apply"), APPLICANT),
    "portal:apply_step": ("get", lambda c: reverse("portal:apply_step", args=["consent"]), APPLICANT),
    "portal:my": ("get", lambda c: reverse("portal:my"), APPLICANT),
    "portal:inbox": ("get", lambda c: reverse("portal:inbox"), APPLICANT),
    "portal:case": ("get", _case_url("portal:case"), APPLICANT),
    "portal:receipt": ("get", _case_url("portal:receipt"), APPLICANT),
    "portal:choose": ("get", _case_url("portal:choose"), APPLICANT),
    "portal:object": ("get", _case_url("portal:object"), APPLICANT),
    "portal:change_lawyer": ("get", _case_url("portal:change_lawyer"), APPLICANT),
    "portal:rate": ("post", _case_url("portal:rate"), APPLICANT),
    "portal:complain": ("get", _case_url("portal:complain"), APPLICANT),
}


def _portal_names() -> set[str]:
    names: set[str] = set()
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "portal":
            names |= {f"portal:{q.name}" for q in p.url_patterns if getattr(q, "name", None)}
    return names


def test_every_portal_url_has_an_access_rule():
    assert _portal_names() == set(ACCESS)


CASES = [(name, role) for name in ACCESS for role in Role]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_access(city, name, role):
    method, url_of, allowed = ACCESS[name]
    client = Client()
    sign_in(client, city.user(ROLE_USER[role]))
    data = {"stage": "consultation", "score": "5"} if name == "portal:rate" else {}
    response = getattr(client, method)(url_of(city), data)
    if allowed is None:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    elif role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(("/accounts/login/", "/signin/")), (name, role)
    else:
        assert response.status_code == 404, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_anonymous_visitors(city, name):
    method, url_of, allowed = ACCESS[name]
    response = getattr(Client(), method)(url_of(city))
    if allowed is None:
        assert response.status_code in (200, 302), name
    elif allowed == APPLICANT:
        assert response.status_code == 302 and response["Location"].startswith("/signin/?next="), name
    else:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name
