"""Bearer tokens from ``manage.py issue_api_token``, browser sessions with CSRF, and the OpenAPI document."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fayuan.accounts.testing import sign_in
from fayuan.api.models import ApiToken
from fayuan.api.tokens import api_token_revoke
from fayuan.core.audit import verify_chain
from fayuan.core.models import AuditEntry

from .conftest import BASE, ApiClient

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


def issue(username: str, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_api_token", username, *extra, stdout=out, stderr=err)
    assert "只显示这一次" in err.getvalue()
    return out.getvalue().strip()


def test_issued_token_works_and_only_its_hash_is_stored(city):
    token = issue("reviewer_a", "--name", "法院系统对接")
    assert len(token) >= 43
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.name == "法院系统对接" and row.user == city.user("reviewer_a")
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)
    response = ApiClient(Client(), token).get("/cases")
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_issuance_is_audited_without_the_token(city):
    token = issue("bureau")
    entry = AuditEntry.objects.filter(object_type="api.apitoken").get()
    assert entry.action == "create" and entry.detail == {"user": "bureau", "name": "系统对接"}
    assert token not in json.dumps(entry.detail)
    assert verify_chain().ok


def test_unknown_user_is_a_command_error(city):
    with pytest.raises(CommandError, match="没有用户名"):
        call_command("issue_api_token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("how", ["revoked", "wrong", "inactive_user", "empty"])
def test_bad_tokens_get_401(city, how):
    token = issue("reviewer_a")
    if how == "revoked":
        api_token_revoke(actor=None, token_id=ApiToken.objects.get().pk)
    elif how == "wrong":
        token = token[:-2] + "xx"
    elif how == "inactive_user":
        user = city.user("reviewer_a")
        user.is_active = False
        user.save(update_fields=["is_active"])
    elif how == "empty":
        token = ""
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    for response in (client.get(f"{BASE}/cases", headers=headers),
                     client.post(f"{BASE}/people", {"name": "某人"}, content_type="application/json",
                                 headers=headers)):
        assert response.status_code == 401, response.content
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"]


def test_anonymous_caller_gets_401_in_chinese(city, anonymous):
    response = anonymous.get("/cases")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "请先登录，或在请求头中提供有效的令牌（Authorization: Bearer <令牌>）。", "errors": {}}


def test_signed_in_browser_session_works_and_needs_csrf_for_writes(city):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, city.user("reviewer_a"))
    assert browser.get(f"{BASE}/people").status_code == 200
    body = json.dumps({"name": "钱七"})
    refused = browser.post(f"{BASE}/people", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    secret = "Fayuan2026" * 3 + "ok"  # any 32 letters or digits: the cookie holds the secret, the header repeats it
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(f"{BASE}/people", body, content_type="application/json",
                            headers={"X-CSRFToken": secret})
    assert accepted.status_code == 201, accepted.content


def test_openapi_document_lists_the_contract(city, anonymous):
    response = anonymous.client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "法援平台 API"
    paths = document["paths"]
    assert "/api/v1/eligibility/check" in paths
    for path in ("/api/v1/cases", "/api/v1/cases/{public_id}", "/api/v1/people", "/api/v1/people/{public_id}"):
        assert path in paths
    actions = ["forward", "supplement-request", "supplement-received", "assess", "decide", "assign", "accept",
               "decline", "agreement", "progress", "closing", "closing-review", "archive", "terminate", "objection",
               "objection-decision", "change-provider", "withdraw"]
    for name in actions:
        assert f"/api/v1/cases/{{public_id}}/{name}" in paths, name
    idempotent = [paths["/api/v1/cases"]["post"], paths["/api/v1/people"]["post"],
                  *(paths[f"/api/v1/cases/{{public_id}}/{n}"]["post"] for n in actions)]
    for operation in idempotent:
        assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"]), operation["operationId"]
    eligibility = paths["/api/v1/eligibility/check"]["post"]
    assert "security" not in eligibility
    schema = document["components"]["schemas"]["EligibilityIn"]
    assert {"district_code", "application_date", "case_type", "household_size", "household_monthly_income"} <= set(
        schema["required"])
    assert set(document["components"]["securitySchemes"]) == {"ApiTokenAuth", "SessionCsrfAuth"}
