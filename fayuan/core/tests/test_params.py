"""Numbers, dates and ids typed into query strings and forms: odd digits and huge values never reach int() or the
database. ``core.params`` is the one parser; every page that takes such a parameter answers without a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import granted, providers  # noqa: F401
from fayuan.core.errors import ValidationFailed
from fayuan.core.params import parse_date, parse_decimal, parse_id, parse_int, parse_page

ODD = ["١٢٣", "²", "9" * 400, "-1", "1e9", "", " ", "0x10", "1_000", "12.5", "١٢٣٤-٠١-٠١"]


@pytest.mark.parametrize("raw", ODD)
def test_parse_int_accepts_only_bounded_ascii_digits(raw):
    assert parse_int(raw, default=None) is None
    assert parse_id(raw) is None
    assert parse_page(raw) == 1
    with pytest.raises(ValidationFailed) as caught:
        parse_int(raw, minimum=1, maximum=100, required=True, field="n", label="人数")
    assert caught.value.errors == {"n": ["人数应为 1 到 100 之间的整数。"]}


def test_parse_int_plain_values():
    assert parse_int(" 42 ") == 42 and parse_id("7") == 7 and parse_page("3") == 3
    assert parse_id("0") is None and parse_int(str(2**63)) is None and parse_page("100001") == 1


@pytest.mark.parametrize("raw", [*ODD, "2026-02-30", "2026-1-1", "20260301", "2026-03-01T00:00"])
def test_parse_date_accepts_only_iso_ascii_dates(raw):
    assert parse_date(raw) is None
    with pytest.raises(ValidationFailed):
        parse_date(raw, required=True, field="since")
    assert parse_date("2026-03-01") == dt.date(2026, 3, 1)


@pytest.mark.parametrize("raw", [*ODD[:5], "1.234", "NaN", "Infinity", "1,000"])
def test_parse_decimal_is_plain_and_bounded(raw):
    assert parse_decimal(raw, maximum=Decimal("99999999.99")) is None
    assert parse_decimal("3000.5", maximum=Decimal(10000)) == Decimal("3000.5")


# (persona or None for the public, path, parameter names): every page that reads a number, id or date.
PAGES = [
    (None, "/lawyers/", ("center", "page")),
    (None, "/stations/", ("lat", "lon", "district")),
    ("bureau", "/office/stats/assignment-spread/", ("center", "since")),
    ("reviewer_a", "/office/stats/assignment-spread/", ("center", "since")),
    ("reviewer_a", "/office/org/providers/", ("center", "page")),
    ("reviewer_a", "/office/org/staff/", ("center", "page")),
    ("reviewer_a", "/office/org/stations/", ("page",)),
    ("reviewer_a", "/office/org/centers/", ("page",)),
    ("reviewer_a", "/office/people/", ("page",)),
    ("reviewer_a", "/office/cases/", ("page",)),
    ("reviewer_a", "/office/cases/?tab=deadlines", ("page",)),
    ("reviewer_a", "/office/consultations/", ("page",)),
    ("reviewer_a", "/office/notifications/", ("page",)),
    ("reviewer_a", "/office/deadlines/", ("page",)),
    ("auditor", "/office/audit/", ("page",)),
]


def _client(city, persona):
    client = Client()
    if persona:
        sign_in(client, city.user(persona))
    return client


@pytest.mark.parametrize(("persona", "path", "params"), PAGES, ids=[p[1] + (p[0] or "") for p in PAGES])
def test_odd_numbers_in_query_strings_are_never_a_500(city, persona, path, params):
    client = _client(city, persona)
    joiner = "&" if "?" in path else "?"
    for raw in ODD:
        for name in params:
            response = client.get(f"{path}{joiner}", {name: raw})
            assert response.status_code < 500, (path, name, raw)
            assert response.status_code in (200, 302), (path, name, raw, response.status_code)


@pytest.mark.usefixtures("providers")
def test_odd_provider_ids_when_choosing_a_lawyer_are_refused_not_a_500(city):
    case = granted(city, applicant_id=city.applicant_person.public_id)
    client = _client(city, "applicant")
    for raw in ODD:
        response = client.post(f"/my/cases/{case.public_id}/choose/", {"provider": raw})
        assert response.status_code < 500, raw


def test_odd_organ_ids_in_the_online_application_are_refused_not_a_500(city):
    from fayuan.portal.routing import RoutingError
    from fayuan.portal.services.application import resolve_route

    for raw in ODD[:5]:
        with pytest.raises(RoutingError):
            resolve_route(case_type="civil", organ_station=raw)
