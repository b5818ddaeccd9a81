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


@pytest.mark.django_db
def test_the_log_shows_which_entries_are_sealed_and_the_check_reports_the_seals(city, client):
    from fayuan.core.audit import audit_record, audit_seal

    sign_in(client, city.user("auditor"))
    audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id="1")
    audit_seal()
    audit_record(actor=None, action=AuditAction.READ, object_type="x", object_id="2")
    page = client.get(reverse("audit:list")).content.decode()
    assert "已封存" in page and "待封存" in page
    result = client.post(reverse("audit:verify")).content.decode()
    assert "审计链完整" in result and "1 个封存" in result and "条待封存" in result
