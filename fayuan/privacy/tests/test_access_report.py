"""The access report: who read a person's file and cases, and when, from the audit log; for the staff who hold
the person and the auditor, audited itself, 404 out of scope, and blind to other centers' reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.tests.conftest import receive
from fayuan.core.models import AuditEntry
from fayuan.people.services import person_register
from fayuan.privacy.selectors import access_report


def test_reads_of_the_person_and_their_cases_are_listed(city, client):
    case = receive(city)
    sign_in(client, city.user("director_a"))
    client.get(reverse("people:detail", args=[city.person_a.public_id]))
    client.get(reverse("cases:detail", args=[case.public_id]))
    client.get(reverse("people:detail", args=[city.person_station_a.public_id]))  # somebody else's file
    entries = list(access_report(city.user("reviewer_a"), city.person_a))
    reads = [(e.actor.username, e.object_type) for e in entries if e.action == "read"]
    assert ("director_a", "people.person") in reads and ("director_a", "cases.case") in reads
    assert all(e.object_id != str(city.person_station_a.pk) for e in entries if e.object_type == "people.person")

    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("privacy:access", args=[city.person_a.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "director_a" in html or city.user("director_a").display_name in html
    # The report is itself audited (and shows up in the next report).
    assert AuditEntry.objects.filter(actor=city.user("reviewer_a"), object_type="people.person",
                                     object_id=str(city.person_a.pk), detail__view="access_report").count() == 1


def test_the_auditor_sees_every_center_without_the_name(city, client):
    # Center B links to the same person and reads them: center A's report does not show it, the auditor's does.
    person_register(actor=city.user("reviewer_b"), name="张某", id_number=city.person_a.decrypted_id_number())
    sign_in(client, city.user("reviewer_b"))
    assert client.get(reverse("people:detail", args=[city.person_a.public_id])).status_code == 200
    center_a = {e.actor.username for e in access_report(city.user("reviewer_a"), city.person_a) if e.actor}
    assert "reviewer_b" not in center_a
    auditor = city.user("auditor")
    assert "reviewer_b" in {e.actor.username for e in access_report(auditor, city.person_a) if e.actor}
    sign_in(client, auditor)
    html = client.get(reverse("privacy:access", args=[city.person_a.public_id])).content.decode()
    assert "reviewer_b" in html or city.user("reviewer_b").display_name in html
    assert "张三" not in html and "张某" not in html


@pytest.mark.parametrize("key", ["reviewer_b", "clerk_b", "clerk_a", "provider_a", "bureau", "sysadmin"])
def test_out_of_scope_is_404(city, client, key):
    sign_in(client, city.user(key))
    assert client.get(reverse("privacy:access", args=[city.person_a.public_id])).status_code == 404


def test_the_auditor_opens_a_report_from_the_row_id_in_the_audit_log(city, client):
    sign_in(client, city.user("auditor"))
    response = client.post(reverse("privacy:access_lookup"), {"object_id": city.person_a.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:access", args=[city.person_a.public_id])
    assert client.post(reverse("privacy:access_lookup"), {"object_id": "９"}).status_code == 404
    assert client.post(reverse("privacy:access_lookup"), {"object_id": 10**30}).status_code == 404
    sign_in(client, city.user("reviewer_a"))
    assert client.post(reverse("privacy:access_lookup"), {"object_id": city.person_a.pk}).status_code == 404
