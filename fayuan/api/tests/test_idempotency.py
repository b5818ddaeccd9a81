"""Idempotency-Key: a retry with the same key and body gets the first answer and never a second record."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connections
from django.test import Client

from fayuan.api.idempotency import idempotency_purge
from fayuan.api.models import IdempotencyRecord
from fayuan.cases.models import Case, Decision
from fayuan.people.models import Person

from .conftest import ApiClient, token_for
from .test_cases import application

pytestmark = pytest.mark.urls("fayuan.api.test_urls")


def test_same_key_and_body_replays_the_first_answer(city, as_user):
    reviewer = as_user("reviewer_a")
    first = reviewer.post("/cases", application(city), key="intake-0001")
    again = reviewer.post("/cases", application(city), key="intake-0001")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_key_order_and_spacing_of_the_json_body_do_not_matter(city, as_user):
    reviewer = as_user("reviewer_a")
    body = application(city)
    reviewer.post("/cases", body, key="k-order")
    shuffled = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = reviewer.client.post("/api/v1/cases", shuffled, content_type="application/json",
                                 headers={**reviewer.headers, "Idempotency-Key": "k-order"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_same_key_with_a_different_body_is_422(city, as_user):
    reviewer = as_user("reviewer_a")
    reviewer.post("/cases", application(city), key="intake-0002")
    other = reviewer.post("/cases", application(city, matter_summary="请求确认劳动关系"), key="intake-0002")
    assert other.status_code == 422
    assert other.json()["errors"] == {"Idempotency-Key": ["该幂等键已用于另一个不同的请求；新的请求请使用新的幂等键。"]}
    elsewhere = reviewer.post("/people", {"name": "钱七"}, key="intake-0002")
    assert elsewhere.status_code == 422
    assert Case.objects.count() == 1 and not Person.objects.filter(name="钱七").exists()


def test_a_refused_request_is_not_stored_so_a_corrected_retry_goes_through(city, as_user):
    reviewer = as_user("reviewer_a")
    refused = reviewer.post("/cases", application(city, matter="piracy"), key="intake-0003")
    assert refused.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    accepted = reviewer.post("/cases", application(city), key="intake-0003")
    assert accepted.status_code == 201 and Case.objects.count() == 1


def test_keys_belong_to_their_user(city, as_user):
    as_user("reviewer_a").post("/cases", application(city), key="shared-key")
    second = as_user("director_a").post("/cases", application(city), key="shared-key")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Case.objects.count() == 2


def test_actions_replay_too_and_without_a_key_a_retry_is_a_conflict(city, as_user):
    reviewer = as_user("reviewer_a")
    public_id = reviewer.post("/cases", application(city)).json()["public_id"]
    path = f"/cases/{public_id}/decide"
    first = reviewer.post(path, {"kind": "grant"}, key="decide-1")
    again = reviewer.post(path, {"kind": "grant"}, key="decide-1")
    assert first.status_code == again.status_code == 200 and again.content == first.content
    assert Decision.objects.count() == 1
    assert reviewer.post(path, {"kind": "grant"}).status_code == 409


def test_people_registration_is_idempotent(city, as_user):
    reviewer = as_user("reviewer_a")
    first = reviewer.post("/people", {"name": "钱七", "phone": "13900000000"}, key="person-1")
    again = reviewer.post("/people", {"name": "钱七", "phone": "13900000000"}, key="person-1")
    assert first.status_code == again.status_code == 201 and again.content == first.content
    assert Person.objects.filter(name="钱七").count() == 1


@pytest.mark.parametrize("key", ["x" * 256, "键"])
def test_malformed_keys_are_422(city, as_user, key):
    response = as_user("reviewer_a").client.post(
        "/api/v1/people", json.dumps({"name": "钱七"}), content_type="application/json",
        headers={**as_user("reviewer_a").headers, "Idempotency-Key": key.encode("utf-8").decode("latin-1")})
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["errors"]


def test_old_records_are_purged(city, as_user):
    as_user("reviewer_a").post("/people", {"name": "钱七"}, key="old")
    IdempotencyRecord.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert idempotency_purge() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicates_create_one_case(city):
    """Six retries race with one key: one case is created and every caller gets the same answer."""
    token = token_for(city.user("reviewer_a"))
    body = application(city)
    barrier = threading.Barrier(6)
    answers: list[tuple[int, bytes]] = []
    failures: list[BaseException] = []

    def post() -> None:
        try:
            client = ApiClient(Client(), token)
            barrier.wait()
            response = client.post("/cases", body, key="race-1")
            answers.append((response.status_code, response.content))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert Case.objects.count() == 1
    assert {status for status, _ in answers} == {201}
    assert len({content for _, content in answers}) == 1


