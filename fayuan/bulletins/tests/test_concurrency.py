"""Issuing bulletins at once on PostgreSQL: every issue takes its own number, none is lost or doubled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.bulletins import services
from fayuan.bulletins.models import Bulletin
from fayuan.cases.tests.test_numbering import run_threads


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_number_without_gaps_or_duplicates(city: Any) -> None:
    bureau = city.user("bureau")
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(6):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    drafts = [services.bulletin_draft(actor=bureau, kind="monthly", period_start=m) for m in months]

    def work(n: int) -> None:
        services.bulletin_issue(actor=bureau, public_id=drafts[n].public_id)

    assert run_threads(len(drafts), work) == []
    year = timezone.localdate().year
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == sorted(
        f"镇法援质通〔{year}〕第{i}号" for i in range(1, 7))
