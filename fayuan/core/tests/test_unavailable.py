"""A lost database (PostgreSQL restarting, refusing connections) or a full upload disk answers 503 with
Retry-After: a Chinese page for the office and the public site, the API's JSON error for the API. Never a 500."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from fayuan.accounts.testing import sign_in
from fayuan.api.tokens import api_token_issue
from fayuan.core.errors import StorageFull
from fayuan.core.unavailable import DATABASE_UNAVAILABLE, ServiceUnavailableMiddleware, server_error

LOST = [OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed")]


def database_down(error: Exception):  # type: ignore[no-untyped-def]
    """Every new cursor fails as it does while PostgreSQL restarts."""
    return mock.patch("django.db.backends.base.base.BaseDatabaseWrapper._cursor", side_effect=error)


def browser() -> Client:
    # As a browser sees it: a failure in a middleware (the session read before the view) reaches handler500,
    # which the default test client would re-raise instead of answering.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("error", LOST, ids=["operational", "interface"])
def test_an_office_page_without_its_database_is_a_chinese_503(city, error):
    client = browser()
    sign_in(client, city.user("reviewer_a"))
    with database_down(error):
        response = client.get("/office/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert DATABASE_UNAVAILABLE in page and "请稍后重试" in page and "Traceback" not in page


def test_a_public_page_without_its_database_is_a_503_too(city):
    with database_down(LOST[0]):
        response = browser().get("/self-check/")
    assert response.status_code == 503 and DATABASE_UNAVAILABLE in response.content.decode()


@pytest.mark.parametrize("error", LOST, ids=["operational", "interface"])
def test_the_api_without_its_database_is_a_json_503(city, error):
    token = api_token_issue(actor=None, user=city.user("reviewer_a"), name="测试")[1]
    with database_down(error):
        response = browser().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {"detail": DATABASE_UNAVAILABLE, "errors": {}}


def test_a_database_failure_outside_any_view_is_a_503_through_handler500():
    request = RequestFactory().get("/office/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and DATABASE_UNAVAILABLE in response.content.decode()
    try:
        raise ValueError("a real bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500  # anything else stays an error the operator must see


def test_only_not_now_failures_become_503():
    middleware = ServiceUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("bug")) is None
    response = middleware.process_exception(request, StorageFull())
    assert response is not None and response.status_code == 503 and response["Retry-After"] == "60"
    assert "存储空间不足" in response.content.decode()
