"""Downloading a document: only inside the case's scope, audited, not cached, no personal data in the headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fayuan.accounts.models import User
from fayuan.accounts.testing import sign_in
from fayuan.cases import services
from fayuan.cases.models import Case, Document, DocumentKind
from fayuan.core.models import AuditAction, AuditEntry

from .conftest import in_progress, receive
from .test_documents_pdf import doc_of, flat, pdf_text


def url(document: Document) -> str:
    return reverse("case_documents:document", args=[document.case.public_id, document.pk])


def get(city: Any, who: str | User | None, document: Document) -> Any:
    client = Client()
    if who is not None:
        sign_in(client, who if isinstance(who, User) else city.user(who))
    return client.get(url(document))


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def handled(city: Any, providers: list[Any]) -> Case:
    for i, p in enumerate(providers[:3]):  # accounts for the test providers, so whoever is assigned can sign in
        User.objects.create_user(username=f"lawyer{i}", password="x" * 12, role="provider", provider=p)
    return in_progress(city)


def test_reviewer_gets_the_pdf_inline_uncached_and_the_export_is_audited(city: Any, handled: Case) -> None:
    document = doc_of(handled, DocumentKind.ASSIGNMENT_NOTICE)
    response = get(city, "reviewer_a", document)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="assignment_notice.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert (entry.object_type, entry.object_id) == ("cases.document", str(document.pk))
    assert entry.actor_username == "reviewer_a"
    assert entry.detail["number"] == document.number
    # Stored on first open; the second open is served from disk with the same bytes.
    document.refresh_from_db()
    assert document.file.name.endswith(f"{document.pk}-assignment_notice.pdf")
    assert get(city, "director_a", document).content == response.content


def test_assigned_provider_and_bureau_may_download(city: Any, handled: Case) -> None:
    document = doc_of(handled, DocumentKind.ORGAN_LETTER)
    lawyer = User.objects.get(provider=handled.provider)
    assert get(city, lawyer, document).status_code == 200
    assert get(city, "bureau", document).status_code == 200


def test_another_centers_reviewer_gets_404(city: Any, handled: Case) -> None:
    assert get(city, "reviewer_b", doc_of(handled, DocumentKind.GRANT_DECISION)).status_code == 404


def test_a_provider_not_assigned_to_the_case_gets_404(city: Any, handled: Case) -> None:
    other = User.objects.filter(role="provider").exclude(provider=handled.provider).first()
    assert other is not None
    assert get(city, other, doc_of(handled, DocumentKind.ASSIGNMENT_NOTICE)).status_code == 404


@pytest.mark.parametrize("who", ["auditor", "organ_a", "sysadmin", "applicant", "clerk_a"])
def test_roles_without_this_case_get_404(city: Any, handled: Case, who: str) -> None:
    assert get(city, who, doc_of(handled, DocumentKind.GRANT_DECISION)).status_code == 404


def test_anonymous_is_sent_to_sign_in(city: Any, handled: Case) -> None:
    document = doc_of(handled, DocumentKind.GRANT_DECISION)
    response = get(city, None, document)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_document_of_another_case_is_404_even_when_both_are_in_scope(city: Any, handled: Case) -> None:
    other = doc_of(in_progress(city), DocumentKind.GRANT_DECISION)
    foreign = reverse("case_documents:document", args=[handled.public_id, other.pk])
    client = Client()
    sign_in(client, city.user("reviewer_a"))
    assert client.get(foreign).status_code == 404


def test_station_clerk_sees_only_their_stations_cases(city: Any) -> None:
    case = receive(city, actor="clerk_a", applicant_id=city.person_station_a.public_id)
    receipt = services.document_issue(actor=city.user("clerk_a"), case=case, kind=DocumentKind.RECEIPT)
    assert get(city, "clerk_a", receipt).status_code == 200
    assert get(city, "clerk_b", receipt).status_code == 404


@pytest.mark.usefixtures("poppler")
def test_the_download_never_contains_the_plaintext_id_number(city: Any, tmp_path: Path) -> None:
    case = receive(city)
    form = services.document_issue(actor=city.user("reviewer_a"), case=case, kind=DocumentKind.APPLICATION_FORM)
    response = get(city, "reviewer_a", form)
    assert response.status_code == 200
    full = case.applicant.decrypted_id_number()
    text = flat(pdf_text(response.content, tmp_path))
    assert case.applicant.id_number_masked in text
    assert full not in text
    assert full.encode() not in response.content
    assert case.applicant.name not in response["Content-Disposition"]
