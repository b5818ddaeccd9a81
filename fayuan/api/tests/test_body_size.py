"""A body over the size limit is answered in the API's JSON error shape with 413, not Django's HTML page."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from .conftest import BASE

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
@pytest.mark.parametrize("path", ["/cases", "/eligibility/check"])
def test_body_over_the_limit_is_a_json_413(city, as_user, path):
    reviewer = as_user("reviewer_a")
    response = reviewer.post(path, {"matter_summary": "长" * 2000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}
    assert "过大" in body["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_limit_without_a_token_is_also_json(db, client):
    response = client.post(f"{BASE}/eligibility/check", "x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert json.loads(response.content)["errors"] == {}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_body_over_the_limit_with_an_idempotency_key_is_json(city, as_user):
    response = as_user("reviewer_a").post("/cases", {"matter_summary": "长" * 2000}, key="k-too-big")
    assert response.status_code == 413
    assert "过大" in json.loads(response.content)["detail"]


@pytest.mark.parametrize("path", ["/cases", "/people"])
@pytest.mark.parametrize("raw", ["١٢٣", "²", "9" * 400, "9" * 25, "-1", "1e9"])
def test_odd_page_numbers_in_api_queries_are_a_422_not_a_500(city, as_user, path, raw):
    response = as_user("reviewer_a").get(path, page=raw)
    assert response.status_code == 422, (raw, response.content)
    assert "page" in json.loads(response.content)["errors"]
