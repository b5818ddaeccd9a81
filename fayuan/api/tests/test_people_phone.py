"""Phones through the API (issue 9 item 7): never in a query string, masked in answers, searched by POST body."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


def test_get_searches_names_only_and_post_search_finds_by_phone(city, as_user):
    reviewer = as_user("reviewer_a")
    assert reviewer.get("/people", q="13800000001").json()["count"] == 0
    assert reviewer.get("/people", q="0001").json()["count"] == 0
    found = reviewer.post("/people/search", {"q": "13800000001"}).json()
    assert [p["name"] for p in found["items"]] == ["张三"]
    assert [p["name"] for p in reviewer.post("/people/search", {"q": "0001"}).json()["items"]] == ["张三"]
    assert reviewer.post("/people/search", {"q": "张"}).json()["count"] == 1
    assert as_user("reviewer_b").post("/people/search", {"q": "13800000001"}).json()["count"] == 0


def test_the_schema_has_no_phone_query_parameter(city, as_user):
    schema = as_user("reviewer_a").get("/openapi.json").json()
    for path, item in schema["paths"].items():
        for operation in item.values():
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            assert not any("phone" in n or "mobile" in n for n in names), path
