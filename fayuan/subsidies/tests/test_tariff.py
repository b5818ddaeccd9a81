"""The calculator's properties (hypothesis) and worked examples."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fayuan.subsidies import tariff
from fayuan.subsidies.tariff import Adjustment, Cost, Limit, Rate

ITEMS = ["travel_local", "copying", "evidence", "appraisal", "unlisted"]
GRADES = ["excellent", "good", "pass", "fail"]
money = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False, allow_infinity=False)
costs = st.lists(st.builds(Cost, item=st.sampled_from(ITEMS), amount=money, note=st.text(max_size=5)), max_size=8)
limits = st.lists(st.builds(Limit, item=st.sampled_from(ITEMS[:-1]), cap=money), max_size=4,
                  unique_by=lambda x: x.item)
adjustments = st.lists(st.builds(Adjustment, grade=st.sampled_from(GRADES), percent=percent), max_size=4,
                       unique_by=lambda x: x.grade)
# A shared machine may be busy: the strategies are cheap, a slow draw is not a failure of the rule.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
CITY = Rate("civil", "", None, Decimal("2000.00"), "per_case")


def run(*, rates: list[Rate] | None = None, district_id: int | None = 1, procedure: str = "ordinary",
        units: int = 1, costs: list[Cost] | None = None, grade: str | None = None,
        limits: list[Limit] | None = None, adjustments: list[Adjustment] | None = None) -> tariff.Result:
    return tariff.compute(service="civil", procedure=procedure, district_id=district_id, units=units,
                          costs=costs or [], grade=grade, rates=rates or [CITY], limits=limits or [],
                          adjustments=adjustments or [])


@RELAXED
@given(amount=money, units=st.integers(1, 30), costs=costs, grade=st.none() | st.sampled_from(GRADES),
       limits=limits, adjustments=adjustments)
def test_total_is_the_sum_of_lines_never_negative_and_to_the_fen(amount: Decimal, units: int, costs: list[Cost],
                                                                 grade: str | None, limits: list[Limit],
                                                                 adjustments: list[Adjustment]) -> None:
    result = run(rates=[Rate("civil", "", None, amount, "per_day")], units=units, costs=costs, grade=grade,
                 limits=limits, adjustments=adjustments)
    assert result.total == sum(line.amount for line in result.lines)
    assert result.total == result.base + result.costs + result.adjustment
    assert result.total >= 0
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in result.lines)
    assert result.base == (amount * units).quantize(Decimal("0.01"))


@RELAXED
@given(costs=costs, limits=limits)
def test_a_cost_is_cut_to_its_limit_and_an_item_without_limit_is_not_paid(costs: list[Cost],
                                                                         limits: list[Limit]) -> None:
    result = run(costs=costs, limits=limits)
    caps = {limit.item: limit.cap for limit in limits}
    labels = {line.label: line.amount for line in result.lines if line.kind == "cost"}
    for item in {c.item for c in costs}:
        claimed = sum((c.amount for c in costs if c.item == item), Decimal(0))
        assert labels[item] == (min(claimed, caps[item]) if item in caps else 0)


@RELAXED
@given(base=money, costs=costs, limits=limits, grade=st.sampled_from(GRADES), adjustments=adjustments)
def test_the_adjustment_applies_to_the_base_only(base: Decimal, costs: list[Cost], limits: list[Limit], grade: str,
                                                 adjustments: list[Adjustment]) -> None:
    with_costs = run(rates=[Rate("civil", "", None, base, "per_case")], costs=costs, limits=limits, grade=grade,
                     adjustments=adjustments)
    without = run(rates=[Rate("civil", "", None, base, "per_case")], grade=grade, adjustments=adjustments)
    assert with_costs.adjustment == without.adjustment
    assert abs(with_costs.adjustment) <= with_costs.base


@RELAXED
@given(city=money, district=money, other=st.integers(2, 9))
def test_the_district_row_wins_over_the_city_row(city: Decimal, district: Decimal, other: int) -> None:
    rates = [Rate("civil", "", None, city, "per_case"), Rate("civil", "", 1, district, "per_case"),
             Rate("civil", "ordinary", None, city + 1, "per_case")]
    assert run(rates=rates, district_id=1).base == district
    assert run(rates=rates, district_id=other).base == city + 1  # elsewhere: the city's row of the procedure
    assert run(rates=rates, district_id=other, procedure="simplified").base == city


def test_a_worked_example_explains_each_line() -> None:
    result = run(costs=[Cost("travel_local", Decimal("200.00"), "往返法院"), Cost("travel_local", Decimal("150.00")),
                        Cost("copying", Decimal("35.50"))],
                 limits=[Limit("travel_local", Decimal("300.00")), Limit("copying", Decimal("300.00"))],
                 grade="pass", adjustments=[Adjustment("pass", Decimal("-10.00"))])
    assert [(line.kind, line.amount) for line in result.lines] == [
        ("base", Decimal("2000.00")), ("cost", Decimal("300.00")), ("cost", Decimal("35.50")),
        ("adjustment", Decimal("-200.00"))]
    assert result.total == Decimal("2135.50")
    assert "超出每案上限300.00元" in result.lines[1].explanation
    assert "往返法院" in result.lines[1].explanation
    assert "-10.00%" in result.lines[3].explanation


def test_rounding_is_half_up_to_the_fen() -> None:
    result = run(rates=[Rate("civil", "", None, Decimal("1000.05"), "per_case")], grade="excellent",
                 adjustments=[Adjustment("excellent", Decimal("10.00"))])
    assert result.adjustment == Decimal("100.01")  # 100.005 rounds up


def test_no_rate_for_the_service_is_an_error() -> None:
    try:
        tariff.compute(service="duty_help", procedure="", district_id=None, units=1, costs=[], grade=None,
                       rates=[CITY], limits=[], adjustments=[])
    except tariff.NoRate:
        return
    raise AssertionError("a service without a rate must not compute")


def test_no_grade_means_no_adjustment() -> None:
    result = run(grade=None, adjustments=[Adjustment("pass", Decimal("-10"))])
    assert result.adjustment == 0
    assert "尚未评定" in result.lines[-1].explanation
