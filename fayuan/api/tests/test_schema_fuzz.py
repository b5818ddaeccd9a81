"""Hypothesis over the API's input schemas, the parsers of what other systems send (amounts, dates, phones):
whatever arrives, pydantic's ValidationError (a 422 with a Chinese message per field) or a value inside the
bounds of ``core.bounds``, the same bounds the office forms use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pydantic
from hypothesis import example, given
from hypothesis import strategies as st

from fayuan.api.errors import validation_errors
from fayuan.api.schemas import ClosingIn, EligibilityIn, PersonCreateIn
from fayuan.core import bounds
from fayuan.people.forms import PersonForm

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                         st.sampled_from(["NaN", "Infinity", "1e999", "-0", "2026-02-30", "２０２６-０３-０１",
                                          "0001-01-01", "9999-12-31", "99999999.995", "١٢٣"]))


def _outcome(schema: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = validation_errors(exc.errors())  # the API's Chinese messages: never a crash
        assert errors and all(messages for messages in errors.values())
        return None


@given(json_scalars, json_scalars, json_scalars)
@example("NaN", "2026-03-01", 3)
@example("100000000", "2026-03-01", 3)
def test_eligibility_input_amounts_and_dates(income, date, size):
    body = {"district_code": "321102", "application_date": date, "case_type": "civil", "matter": "wages",
            "household_size": size, "household_monthly_income": income}
    parsed = _outcome(EligibilityIn, body)
    if parsed is not None:
        assert Decimal(0) <= parsed.household_monthly_income <= bounds.MONTHLY_INCOME_MAX
        assert parsed.household_monthly_income.is_finite()
        assert isinstance(parsed.application_date, dt.date)
        assert 1 <= parsed.household_size <= bounds.HOUSEHOLD_MAX


@given(json_scalars, json_scalars)
def test_closing_amounts(recovered, saved):
    parsed = _outcome(ClosingIn, {"outcome": "won", "report": "已结案。" * 3, "money_recovered": recovered,
                                  "money_saved": saved})
    if parsed is not None:
        for amount in (parsed.money_recovered, parsed.money_saved):
            assert amount.is_finite() and Decimal(0) <= amount <= bounds.MONEY_MAX


@given(st.one_of(st.text(max_size=25), st.from_regex(r"[0-9+\- ]{0,22}", fullmatch=True)))
@example("１３８００００００００")
@example("<script>")
@example("  ")
@example(" 123 ")
def test_a_phone_the_api_accepts_is_one_the_office_form_accepts(phone):
    parsed = _outcome(PersonCreateIn, {"name": "钱七", "phone": phone})
    form = PersonForm({"name": "钱七", "phone": phone})
    form.fields["tags"].queryset = form.fields["tags"].queryset.none()  # no database: the phone rule alone
    office_ok = form.is_valid() or "phone" not in form.errors
    assert (parsed is not None) == office_ok, (phone, form.errors.get("phone"))
