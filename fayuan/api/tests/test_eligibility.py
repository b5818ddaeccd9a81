"""The eligibility contract (POST /api/v1/eligibility/check) that the public site and other systems rely on."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from fayuan.api import schemas
from fayuan.eligibility import engine

pytestmark = pytest.mark.urls("fayuan.api.test_urls")
URL = "/eligibility/check"


def ask(anonymous: Any, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "district_code": "321102", "application_date": "2026-03-01", "case_type": "civil", "matter": "wages",
        "household_size": 3, "household_monthly_income": "6000.00",
    }
    body.update(overrides)
    return anonymous.post(URL, {k: v for k, v in body.items() if v is not ...})


def criterion(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in data["criteria"] if c["code"] == code)


def test_civil_wages_claim_under_the_wage_is_eligible_and_shows_the_standard(city, anonymous):
    response = ask(anonymous)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["eligible"] is True
    assert data["means_test"] == "passed"
    assert data["green_channel"] is False and data["aid_first"] is False
    assert data["standard"] == {"monthly_limit_per_capita": "2660.00", "effective_from": "2026-01-01"}
    assert data["per_capita_income"] == "2000.00"
    means = criterion(data, "means_test")
    assert means["passed"] is True and "第三十四条" in means["basis"] and "2660.00" in means["explanation"]
    assert criterion(data, "scope")["passed"] is True


def test_income_above_the_wage_fails_the_means_test_with_the_standard(city, anonymous):
    data = ask(anonymous, household_size=1, household_monthly_income="3000").json()
    assert data["eligible"] is False
    assert data["means_test"] == "failed"
    assert data["standard"] == {"monthly_limit_per_capita": "2660.00", "effective_from": "2026-01-01"}
    assert criterion(data, "means_test")["passed"] is False


def test_low_income_allowance_is_exempt_from_the_means_test(city, anonymous):
    data = ask(anonymous, household_size=1, household_monthly_income="9000", groups=["low_income_allowance"]).json()
    assert data["eligible"] is True
    assert data["means_test"] == "exempt"
    assert data["standard"] is None
    assert criterion(data, "exemption:low_income_allowance")["basis"] == "法律援助法第四十二条第二项"


def test_mandatory_criminal_ground_needs_no_means_test(city, anonymous):
    data = ask(anonymous, case_type="criminal", matter=..., criminal_ground="minor", household_size=1,
               household_monthly_income="50000").json()
    assert data["eligible"] is True
    assert data["means_test"] == "not_required"
    assert data["standard"] is None
    assert "第二十五条" in criterion(data, "scope")["basis"]


def test_criminal_hardship_application_is_means_tested(city, anonymous):
    data = ask(anonymous, case_type="criminal", matter=..., criminal_ground="none", household_size=1,
               household_monthly_income="50000").json()
    assert data["eligible"] is False and data["means_test"] == "failed"


def test_domestic_violence_needs_no_means_test(city, anonymous):
    data = ask(anonymous, matter="marriage_family", household_size=1, household_monthly_income="50000",
               facts={"domestic_violence": True}).json()
    assert data["eligible"] is True
    assert data["means_test"] == "not_required"
    assert criterion(data, "fact:domestic_violence")["basis"] == "法律援助法第三十二条第四项"


def test_migrant_worker_claiming_wages_takes_the_green_channel(city, anonymous):
    data = ask(anonymous, household_size=1, household_monthly_income="8000", groups=["migrant_worker"]).json()
    assert data["green_channel"] is True
    assert data["eligible"] is True and data["means_test"] == "exempt"
    assert criterion(data, "green_channel:migrant_wages")["passed"] is True


def test_limitation_within_seven_days_allows_aid_first(city, anonymous):
    data = ask(anonymous, facts={"limitation_within_7_days": True}).json()
    assert data["aid_first"] is True
    assert "第四十四条" in criterion(data, "aid_first:limitation_within_7_days")["basis"]


def test_birth_date_makes_an_applicant_of_75_claiming_support_a_green_channel_case(city, anonymous):
    data = ask(anonymous, applicant_birth_date="1950-01-01", matter="support_elderly", household_size=1,
               household_monthly_income="90000").json()
    assert data["green_channel"] is True and data["means_test"] == "exempt"
    assert data["means_test_waived_by"] == ["green_channel:elderly_support"]
    assert data["green_channel_rules"][0]["waiver_applied"] is True
    assert criterion(data, "age_group")["passed"] is True


def test_an_elderly_applicant_with_income_is_not_exempt_for_another_matter(city, anonymous):
    # Plan point 14 waives the check for people of 75 or over claiming support, not for every elderly person.
    data = ask(anonymous, applicant_birth_date="1950-01-01", household_size=1, household_monthly_income="90000").json()
    assert (data["green_channel"], data["means_test"], data["eligible"]) == (False, "failed", False)


def test_matter_outside_the_catalogue_is_an_answer_not_an_error(city, anonymous):
    response = ask(anonymous, matter="contract_dispute")
    assert response.status_code == 200
    data = response.json()
    assert data["eligible"] is False
    scope = criterion(data, "scope")
    assert scope["passed"] is False and "第三十一条" in scope["basis"]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"district_code": "999999"}, "district_code", "未知的行政区划代码“999999”。"),
    ({"household_size": 0}, "household_size", "不能小于 1。"),
    ({"household_monthly_income": "-1"}, "household_monthly_income", "不能小于 0。"),
    ({"household_monthly_income": "abc"}, "household_monthly_income", "应为数字或数字字符串（如 \"3000.00\"）。"),
    ({"application_date": "2026-02-30"}, "application_date", "日期格式不正确，应为 YYYY-MM-DD（如 2026-03-01）。"),
    ({"application_date": "01/03/2026"}, "application_date", "日期格式不正确，应为 YYYY-MM-DD（如 2026-03-01）。"),
    ({"application_date": ...}, "application_date", "此项为必填项。"),
    ({"case_type": "divorce"}, "case_type", None),
    ({"matter": ...}, "matter", "非刑事案件须填写申请事项。"),
    ({"groups": ["celebrity"]}, "groups", None),
    ({"facts": {"alien_abduction": True}}, "facts.alien_abduction", "不接受此字段，请检查字段名。"),
    ({"applicant_birth_date": "2027-01-01"}, "applicant_birth_date", "出生日期不能晚于申请日期。"),
])
def test_invalid_input_is_422_with_a_chinese_message_per_field(city, anonymous, overrides, field, message):
    response = ask(anonymous, **overrides)
    assert response.status_code == 422, response.content
    data = response.json()
    assert list(data["errors"]) == [field]
    if message is not None:
        assert data["errors"][field] == [message]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in data["errors"][field][0][:2]), data
    assert data["detail"]


def test_a_date_before_any_wage_in_force_fails_only_the_means_test(city, anonymous):
    # The reference data's first Jiangsu standard is in force from 2018-08-01.
    response = ask(anonymous, application_date="2018-07-31")
    assert response.status_code == 200
    data = response.json()
    assert (data["eligible"], data["means_test"]) == (False, "no_standard")
    assert "没有适用的月最低工资标准" in criterion(data, "means_test")["explanation"]
    # A mandatory criminal ground needs no means test, so no wage row is needed.
    minor = ask(anonymous, application_date="2018-07-31", case_type="criminal", matter=..., criminal_ground="minor",
                household_size=1, household_monthly_income="90000").json()
    assert (minor["eligible"], minor["means_test"]) == (True, "not_required")


def test_an_earlier_date_uses_the_standard_then_in_force(city, anonymous):
    data = ask(anonymous, application_date="2025-06-01").json()
    assert data["standard"] == {"monthly_limit_per_capita": "2490.00", "effective_from": "2024-01-01"}


def test_the_other_district_uses_its_own_standard(city, anonymous):
    data = ask(anonymous, district_code="321181").json()
    assert data["eligible"] is True and data["standard"]["monthly_limit_per_capita"] == "2660.00"


def test_body_that_is_not_json_is_refused_in_chinese(city, anonymous):
    response = anonymous.client.post("/api/v1" + URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON。"


def test_schema_choices_match_the_engine():
    assert typing.get_args(schemas.GroupCode) == engine.GROUPS
    assert typing.get_args(schemas.FactCode) == engine.FACTS
    assert typing.get_args(schemas.CaseTypeCode) == engine.CASE_TYPES
    assert set(schemas.EligibilityFacts.model_fields) == set(engine.FACTS)


def test_a_repeated_self_check_reads_only_the_rule_stamp(city, anonymous, django_assert_max_num_queries):
    """The rules change a few times a year; the self-check runs thousands of times a day. Once loaded, a check
    costs the stamp read, not the eleven queries of a fresh load."""
    assert ask(anonymous).status_code == 200
    with django_assert_max_num_queries(1):
        assert ask(anonymous).status_code == 200
