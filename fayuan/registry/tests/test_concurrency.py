"""Two files of one source imported at once on PostgreSQL: one runs, the other is refused (never a half-applied
mix, never an integrity error from both inserting the same person)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from fayuan.cases.tests.test_numbering import run_threads
from fayuan.registry.models import BatchStatus, RegistryBatch, RegistryRecord
from fayuan.registry.services import registry_batch_create, registry_import_run

from .support import civil_row, write_csv


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_imports_of_one_source_run_one_at_a_time(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    batches = []
    for n in range(2):
        path = write_csv(tmp_path / f"mz{n}.csv", [civil_row(i, household=f"H{n}") for i in range(1, 1000)])
        with path.open("rb") as handle:
            batches.append(registry_batch_create(actor=None, source_code="civil_affairs", upload=File(handle),
                                                 name=path.name))

    def work(n: int) -> None:
        registry_import_run(batch_id=batches[n].public_id)

    assert run_threads(2, work) == []
    statuses = sorted(RegistryBatch.objects.values_list("status", flat=True))
    # Either the second found the first running and was refused, or it started after the first had finished.
    assert statuses in ([BatchStatus.REJECTED, BatchStatus.SUCCEEDED], [BatchStatus.SUCCEEDED] * 2)
    assert RegistryRecord.objects.count() == 999
    # Every record is one whole file's version: never some rows of each.
    assert len(set(RegistryRecord.objects.values_list("household_key", flat=True))) == 1
