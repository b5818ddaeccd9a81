"""The auditor's own reading of the log is recorded: what was filtered (no personal data), not what was seen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.models import AuditAction, AuditEntry


@pytest.mark.django_db
def test_listing_the_audit_log_is_itself_audited(city, client):
    auditor = city.user("auditor")
    sign_in(client, auditor)
    before = AuditEntry.objects.count()
    response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.object_type) == (AuditAction.READ, auditor.pk, "core.auditlog")
    assert entry.detail == {"search": False, "page": 1}


@pytest.mark.django_db
def test_searching_the_audit_log_records_the_filters_without_the_username(city, client):
    auditor = city.user("auditor")
    sign_in(client, auditor)
    response = client.get(reverse("audit:list"), {"user": "reviewer_a", "action": "read",
                                                   "object_type": "people.person", "page": "2"})
    assert response.status_code == 200
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == AuditAction.READ
    assert entry.detail == {"search": True, "user_filter": True, "action": "read", "object_type": "people.person",
                            "page": 1}
    assert "reviewer_a" not in str(entry.detail)
