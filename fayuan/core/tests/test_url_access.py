"""Every view and endpoint, every role: entitled roles get the page, everyone else gets 404 (anonymous users are
sent to sign in). A new URL without a row in ACCESS fails ``test_every_url_has_an_access_rule``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fayuan.accounts.roles import CENTER_ROLES, MASTER_DATA_ROLES, OFFICE_ROLES, PERSON_READER_ROLES, Role

PUBLIC = {"root", "healthz", "login", "logout"}
ROLE_USER = {
    Role.APPLICANT: "applicant", Role.STATION_CLERK: "clerk_a", Role.CENTER_REVIEWER: "reviewer_a",
    Role.CENTER_DIRECTOR: "director_a", Role.PROVIDER: "provider_a", Role.DUTY_LAWYER: "duty_a",
    Role.ORGAN_LIAISON: "organ_a", Role.BUREAU_SUPERVISOR: "bureau", Role.SYSTEM_ADMIN: "sysadmin",
    Role.AUDITOR: "auditor",
}

Url = Callable[[Any], str]
# url name -> (method, how to build the URL from the city fixture, roles that may use it)
ACCESS: dict[str, tuple[str, Url, frozenset[str]]] = {
    "me": ("get", lambda c: reverse("me"), frozenset({Role.APPLICANT})),
    "accounts:home": ("get", lambda c: reverse("accounts:home"), OFFICE_ROLES),
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
    "notifications:list": ("get", lambda c: reverse("notifications:list"), OFFICE_ROLES),
    # Marking read is scoped to one's own notifications: the id of the reviewer's own notification.
    "notifications:read": ("post", lambda c: reverse("notifications:read", args=[c.notification_id]),
                           frozenset({Role.CENTER_REVIEWER})),
    "audit:list": ("get", lambda c: reverse("audit:list"), frozenset({Role.AUDITOR})),
    "audit:verify": ("post", lambda c: reverse("audit:verify"), frozenset({Role.AUDITOR})),
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
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_has_an_access_rule():
    declared = set(ACCESS) | PUBLIC
    missing = _names(get_resolver().url_patterns) - declared
    assert not missing, f"URLs without an access rule and a denial test: {sorted(missing)}"


@pytest.fixture
def site(city):
    """The city plus the records some URLs address (a notification of the reviewer's own)."""
    from fayuan.notifications.services import notification_send

    city.notification_id = notification_send(user=city.user("reviewer_a"), title="测试", body="测试通知").pk
    return city


CASES = [(name, role) for name in ACCESS for role in Role]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_access(client, site, name, role):
    method, url_of, allowed = ACCESS[name]
    client.force_login(site.user(ROLE_USER[role]))
    data = {"purpose": "核对申请人身份", "id_number": "11010519491231002X"} if method == "post" else {}
    response = getattr(client, method)(url_of(site), data)
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
    assert response["Location"].startswith("/accounts/login/")


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
@pytest.mark.parametrize("view", ["people:detail", "people:edit", "people:reveal"])
def test_person_outside_scope_is_404_on_every_person_view(client, city, username, person_attr, view):
    client.force_login(city.user(username))
    url = reverse(view, args=[getattr(city, person_attr).public_id])
    method = client.post if view == "people:reveal" else client.get
    assert method(url, {"purpose": "核对身份"}).status_code == 404


def test_unknown_person_id_is_404(client, city):
    client.force_login(city.user("reviewer_a"))
    assert client.get("/office/people/00000000-0000-0000-0000-000000000000/").status_code == 404
