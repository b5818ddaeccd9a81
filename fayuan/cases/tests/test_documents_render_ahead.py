"""Issued documents are rendered by a background task after commit; the office still renders on first open when the
worker has not got to it, and rendering a rendered document again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus

from fayuan.accounts.testing import sign_in
from fayuan.cases.models import Document, DocumentKind
from fayuan.cases.tasks import document_render

from .conftest import receive


@pytest.fixture(autouse=True)
def _render_ahead(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_RENDER_AHEAD = True


def test_issuing_enqueues_the_render_after_commit_and_the_worker_stores_the_pdf(city, task_queue,
                                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive(city)
    documents = list(case.documents.order_by("pk"))
    assert {d.kind for d in documents} == {DocumentKind.APPLICATION_FORM, DocumentKind.RECEIPT}
    queued = task_queue.results()
    assert sorted(r.args_kwargs["args"][0] for r in queued.filter(task_path="fayuan.cases.tasks.document_render")) == [
        d.pk for d in documents]
    assert not any(d.file.name for d in documents)  # nothing rendered in the request
    task_queue.drain()
    for document in documents:
        document.refresh_from_db()
        assert document.file.name.endswith(f"{document.pk}-{document.kind}.pdf")
        assert document.file.storage.exists(document.file.name)
    assert {r.status for r in queued} == {TaskResultStatus.SUCCESSFUL}


def test_the_office_renders_on_open_before_the_worker_and_the_late_task_is_a_no_op(city, task_queue,
                                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive(city)
    document = case.documents.get(kind=DocumentKind.RECEIPT)
    client = Client()
    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("case_documents:document", args=[case.public_id, document.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    document.refresh_from_db()
    stored, mtime = document.file.name, Path(document.file.path).stat().st_mtime_ns
    assert document_render.call(document.pk) == stored  # the task, late: the stored file is kept as it is
    assert Path(document.file.path).stat().st_mtime_ns == mtime
    assert Document.objects.get(pk=document.pk).file.name == stored
