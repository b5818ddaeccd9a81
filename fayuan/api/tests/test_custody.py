"""POST /forwardings and GET /forwardings/{id}: the art. 39 forwarding over the API."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from fayuan.api.tests.conftest import ApiClient, token_for
from fayuan.cases.models import Case
from fayuan.custody.models import Forwarding
from fayuan.custody.tests.helpers import detention

BODY = {"name": "钱七", "criminal_stage": "investigation", "matter_summary": "涉嫌盗窃罪"}


def test_a_liaison_forwards_and_reads_it_back(city, client):
    api = ApiClient(client, token_for(detention(city)))
    received = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    response = api.post("/forwardings", {**BODY, "received_at": received.isoformat()}, key="k-1")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["body"] == "京口区看守所" and data["center"] == city.center_a.name
    assert dt.datetime.fromisoformat(data["due_at"]) == received + dt.timedelta(hours=24)
    assert data["forwarded_at"] is not None and data["state"] == "按时转交"
    assert "钱七" not in response.content.decode()  # no personal data in the answer
    replay = api.post("/forwardings", {**BODY, "received_at": received.isoformat()}, key="k-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Forwarding.objects.count() == 1
    assert api.get(f"/forwardings/{data['public_id']}").json()["case_number"] == data["case_number"]


def test_bad_input_is_422_and_changes_nothing(city, client):
    api = ApiClient(client, token_for(detention(city)))
    assert api.post("/forwardings", {**BODY, "received_at": "2026-01-02T09:00:00"}).status_code == 422  # naive
    assert api.post("/forwardings", {**BODY, "id_number": "110105194912310021"}).status_code == 422
    assert api.post("/forwardings", {**BODY, "criminal_ground": "x"}).status_code == 422
    assert not Forwarding.objects.exists() and not Case.objects.exists()


def test_another_organ_gets_404_and_a_reviewer_may_not_forward(city, client):
    api = ApiClient(client, token_for(detention(city)))
    public_id = api.post("/forwardings", BODY).json()["public_id"]
    court = ApiClient(Client(), token_for(city.user("organ_a")))
    assert court.get(f"/forwardings/{public_id}").status_code == 404
    assert court.get("/forwardings/not-a-uuid").status_code == 404
    reviewer = ApiClient(Client(), token_for(city.user("reviewer_a")))
    assert reviewer.get(f"/forwardings/{public_id}").status_code == 200
    assert reviewer.post("/forwardings", BODY).status_code == 403
