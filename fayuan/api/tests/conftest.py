"""API test helpers: clients that call as a persona (by bearer token or by session), and a clean rate-limit cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from fayuan.api.tokens import api_token_issue

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


class ApiClient:
    """A JSON client for one caller: a bearer token, a signed-in session, or nobody."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, key: str | None = None, **extra: Any) -> Any:
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        data = "" if body is None else json.dumps(body, default=str)
        return self.client.post(BASE + path, data, content_type="application/json", headers=headers, **extra)


def token_for(user: Any) -> str:
    return api_token_issue(actor=None, user=user, name="测试客户端")[1]


@pytest.fixture
def as_user(city: Any) -> Any:
    """``as_user("reviewer_a")`` → an ApiClient authenticated with that persona's bearer token."""

    def make(key: str) -> ApiClient:
        return ApiClient(Client(), token_for(city.user(key)))

    return make


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient(Client())
