"""Hypothesis over the one bounded parser of query strings and form fields (``core.params``): whatever is typed,
the answer is a value inside the bounds, the default, or (when required) a ``ValidationFailed``; the values a
person means come back as typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from fayuan.core import bounds
from fayuan.core.errors import ValidationFailed
from fayuan.core.params import ID_MAX, PAGE_MAX, parse_date, parse_decimal, parse_id, parse_int, parse_page

# Text a person or a script may send: any characters, digits of every script, and the shapes near the rules.
odd_digits = st.sampled_from(["١٢٣", "²", "１２", "߁", "𝟗", "9" * 40, "-1", "+1", "1e3", "0x1f", "1_0", " 7 ", "NaN"])
texts = st.one_of(st.text(max_size=40), st.from_regex(r"\s*-?[0-9]{0,25}(\.[0-9]{0,9})?\s*", fullmatch=True),
                  odd_digits, st.none())


@given(texts, st.integers(0, 10**6), st.integers(0, 10**6))
@example("١٢٣", 0, 10)
def test_parse_int_is_inside_the_bounds_or_the_default(raw, low, span):
    value = parse_int(raw, minimum=low, maximum=low + span, default=None)
    assert value is None or (isinstance(value, int) and low <= value <= low + span)


@given(texts)
def test_required_int_raises_only_the_validation_error(raw):
    try:
        value = parse_int(raw, minimum=1, maximum=100, required=True, field="n")
    except ValidationFailed as exc:
        assert exc.errors == {"n": ["编号应为 1 到 100 之间的整数。"]}
    else:
        assert value is not None and 1 <= value <= 100


@given(st.integers(0, ID_MAX))
def test_an_id_round_trips(n):
    assert parse_int(str(n)) == n
    assert parse_id(str(n)) == (n or None)


@given(texts)
def test_a_page_is_always_a_page(raw):
    assert 1 <= parse_page(raw) <= PAGE_MAX


@given(st.integers())
def test_ids_beyond_the_widest_column_are_no_id(n):
    assert parse_id(str(n)) == (n if 1 <= n <= ID_MAX else None)


@given(texts)
@example("２０２６-０３-０１")
@example("2026-02-30")
def test_parse_date_is_a_date_or_the_default(raw):
    value = parse_date(raw)
    assert value is None or isinstance(value, dt.date)
    try:
        parse_date(raw, required=True, field="d")
    except ValidationFailed as exc:
        assert list(exc.errors) == ["d"]


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_date_round_trips(day):
    assert parse_date(day.isoformat()) == day


amounts = st.decimals(min_value=0, max_value=bounds.MONTHLY_INCOME_MAX, places=2, allow_nan=False,
                      allow_infinity=False)


@given(texts)
@example("99999999.995")
@example("100000000")
def test_parse_decimal_respects_the_bounds_and_the_places(raw):
    value = parse_decimal(raw, maximum=bounds.MONTHLY_INCOME_MAX, places=2)
    assert value is None or (Decimal(0) <= value <= bounds.MONTHLY_INCOME_MAX and value == value.quantize(
        Decimal("0.01")))
    try:
        parse_decimal(raw, maximum=bounds.MONTHLY_INCOME_MAX, required=True, field="income")
    except ValidationFailed as exc:
        assert list(exc.errors) == ["income"]


@given(amounts)
def test_an_amount_round_trips(amount):
    assert parse_decimal(f"{amount:f}", maximum=bounds.MONTHLY_INCOME_MAX) == amount
