"""The per-process rule cache: one stamp read instead of the rule queries, and a change through any write path
(admin service, ORM save, delete, the calendar's bulk load) is seen at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fayuan.core import rulecache
from fayuan.core.services import masterdata_save
from fayuan.deadlines.selectors import holiday_calendar, rules_for_start
from fayuan.eligibility.ruleset import load_ruleset
from fayuan.org.models import District, MinimumWage

ON = dt.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def _jingkou() -> District:
    return District.objects.get(code="321102")


def test_a_cached_ruleset_costs_one_query():
    first = load_ruleset(district_code="321102", on=ON)
    with CaptureQueriesContext(connection) as queries:
        again = load_ruleset(district_code="321102", on=ON)
    assert again is first
    assert len(queries) == 1 and "core_rulestamp" in queries[0]["sql"]


def test_a_new_wage_row_is_used_at_once(city):
    before = load_ruleset(district_code="321102", on=dt.date(2031, 6, 1))
    row = MinimumWage(district=_jingkou(), monthly_amount=Decimal("9999"), effective_from=dt.date(2031, 1, 1),
                      legal_basis="测试")
    masterdata_save(actor=city.user("sysadmin"), obj=row, changed_fields=["monthly_amount"], created=True)
    after = load_ruleset(district_code="321102", on=dt.date(2031, 6, 1))
    assert after is not before and after.wage is not None and after.wage.monthly_amount == Decimal("9999")
    row.delete()
    assert load_ruleset(district_code="321102", on=dt.date(2031, 6, 1)).wage == before.wage


def test_a_rolled_back_change_leaves_no_token_to_reuse():
    from django.db import transaction

    load_ruleset(district_code="321102", on=ON)
    token_before = rulecache.rules_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        rulecache.rules_changed()
        inside = rulecache.rules_token()
        raise RuntimeError
    assert rulecache.rules_token() == token_before
    rulecache.rules_changed()
    assert rulecache.rules_token() not in {token_before, inside}


def test_deadline_rules_and_calendar_are_cached_until_a_row_changes():
    rules = rules_for_start(event="aid_granted", on=ON, track="standard", in_custody=None)
    assert [r.code for r in rules] and isinstance(rules, tuple)
    calendar = holiday_calendar()
    with CaptureQueriesContext(connection) as queries:
        assert holiday_calendar() is calendar
        assert rules_for_start(event="aid_granted", on=ON, track="standard", in_custody=None) is rules
    assert len(queries) == 2
    rule = rules[0]
    rule.name = rule.name + "（改）"
    rule.save(update_fields=["name"])
    assert rules_for_start(event="aid_granted", on=ON, track="standard", in_custody=None)[0].name.endswith("（改）")
    assert holiday_calendar() is not calendar


def test_every_rule_model_is_watched():
    """A rule model that nobody watches would be cached forever: each dated rule row and each calendar row
    changes the stamp when saved."""
    from django.apps import apps

    from fayuan.core.dated import DatedRule

    for model in apps.get_models():
        if issubclass(model, DatedRule) or model._meta.label in {"deadlines.CalendarDay", "deadlines.CalendarYear",
                                                                 "org.District"}:
            assert model in rulecache.WATCHED, model._meta.label


def test_inside_a_request_the_stamp_is_read_once_and_a_change_made_there_is_seen(city):
    load_ruleset(district_code="321102", on=ON)
    with rulecache.stamp_read_once():
        with CaptureQueriesContext(connection) as queries:
            load_ruleset(district_code="321102", on=ON)
            holiday_calendar()
            load_ruleset(district_code="321102", on=ON)
        stamp_reads = [q for q in queries if "core_rulestamp" in q["sql"]]
        assert len(stamp_reads) == 1
        row = MinimumWage(district=_jingkou(), monthly_amount=Decimal("8888"), effective_from=dt.date(2032, 1, 1),
                          legal_basis="测试")
        masterdata_save(actor=city.user("sysadmin"), obj=row, changed_fields=["monthly_amount"], created=True)
        after = load_ruleset(district_code="321102", on=dt.date(2032, 6, 1))
    assert after.wage.monthly_amount == Decimal("8888")


def test_every_request_reads_the_stamp_once(client):
    check = {"district_code": "321102", "case_type": "civil", "application_date": "2026-03-02", "matter": "wages",
             "household_size": 3, "household_monthly_income": "3000.00"}
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            response = client.post("/api/v1/eligibility/check", check, content_type="application/json")
            assert response.status_code == 200, response.content
    assert len([q for q in queries if "core_rulestamp" in q["sql"]]) == 2
