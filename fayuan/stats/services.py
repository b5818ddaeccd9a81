"""Writes to the rollups: the subscriber's increments and the rebuild from the raw records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.transactions import collect, in_service

from . import measures
from .measures import Cell
from .models import ReportSums, ScopeSums, Tally

if TYPE_CHECKING:
    from decimal import Decimal

    from . import reports
    from .dashboard import Period, Scope
    from .scope_cells import ScopeCells

REBUILD_BATCH = 5000


def tally_add(*, cells: Iterable[Cell]) -> None:
    """Add each cell to its row, creating the row when the cell is new, in the caller's transaction (the case
    event's): the figure commits or rolls back with the event.

    ``UPDATE ... SET count = count + n`` takes the row lock, so concurrent events add up; two that create the same
    new row both insert, and readers sum. The lock is held to the commit, and every submit of a center in a month
    adds to the same rows: inside a service the cells are collected and written last, just before the commit (a
    submit took the lock at its first event and held it through its documents: under load the center's submits
    queued on it, bench/results). Outside a service (a command, a test's own transaction) they are written now."""
    if in_service():
        collect(_TALLY, cells, _write)
    else:
        _write(list(cells))


_TALLY = "stats.tally"


def _write(cells: list[Cell]) -> None:
    # In one order (the cell's address) so that two transactions never lock the same rows in opposite orders.
    for cell in sorted(measures.merge(cells), key=lambda c: (c.measure, c.center_id, c.district_id or 0, c.month,
                                                             c.key)):
        same = Tally.objects.filter(measure=cell.measure, center_id=cell.center_id, month=cell.month, key=cell.key)
        same = same.filter(district__isnull=True) if cell.district_id is None else same.filter(
            district_id=cell.district_id)
        updated = same.update(count=F("count") + cell.count, amount=F("amount") + cell.amount)
        if not updated:
            Tally.objects.create(measure=cell.measure, center_id=cell.center_id, district_id=cell.district_id,
                                 month=cell.month, key=cell.key, count=cell.count, amount=cell.amount)


@dataclass(frozen=True)
class RebuildResult:
    rows: int
    by_measure: dict[str, int]


def tally_rebuild(*, actor: User | None = None) -> RebuildResult:
    """Throw the rollups away and recompute them from the raw records, in one transaction (readers see the old
    figures until it commits). Run after a bulk load, a restore, or a change of the attribution rule."""
    with transaction.atomic():
        # Nothing may add to the rollups while they are rebuilt: the case events wait for this lock on PostgreSQL.
        if transaction.get_connection().vendor == "postgresql":
            with transaction.get_connection().cursor() as cursor:
                cursor.execute(f'LOCK TABLE "{Tally._meta.db_table}" IN EXCLUSIVE MODE')
        Tally.objects.all().delete()
        # Sums of the cells thrown away: the next view sums the new ones.
        ScopeSums.objects.all().delete()
        ReportSums.objects.all().delete()
        cells = measures.merge(measures.rebuild_cells())
        Tally.objects.bulk_create([Tally(measure=c.measure, center_id=c.center_id, district_id=c.district_id,
                                         month=c.month, key=c.key, count=c.count, amount=c.amount) for c in cells],
                                  batch_size=REBUILD_BATCH)
        by_measure: dict[str, int] = {}
        for c in cells:
            by_measure[c.measure] = by_measure.get(c.measure, 0) + c.count
        audit_record(actor=actor, action=AuditAction.UPDATE, object_type="stats.tally", object_id="*",
                     detail={"stats_rebuild": len(cells), "by_measure": by_measure})
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        # The planner's figures of the table are those of before the rebuild until autovacuum comes round: with
        # 222,546 new cells it still thought the dashboard's year was 251 rows, sorted 143,649 on disk and took
        # 294 ms for what a hash of the analyzed table does in 66 ms.
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{Tally._meta.db_table}"')
    return RebuildResult(len(cells), by_measure)


def scope_sums_store(*, scope: Scope, period: Period, today: dt.date) -> ScopeCells:
    """Sum a big scope's cells for the period and store the sums (``scope_cells``): by the job every few minutes,
    or by a view that found them stale. Derived figures, no personal data: not audited, like the cells."""
    # Here, not at the top: scope_cells reads the quality measures, whose subscribers import this module.
    from .scope_cells import encoded, sum_cells, sums_key

    key = sums_key(scope)
    if key is None:
        raise ValueError(f"{scope.title}：中心不多，看板每次现算，不存汇总")
    cells = sum_cells(scope, period, today)
    now = timezone.now()
    try:
        with transaction.atomic():
            ScopeSums.objects.update_or_create(scope_key=key, year=period.year, defaults={
                "until": period.until, "summed_at": now, **encoded(cells)})
    except IntegrityError:
        pass  # another view or the job stored them a moment ago: theirs are as fresh as these
    return replace(cells, summed_at=now)


def report_sums_store(*, scope: reports.Scope, period: reports.Period
                      ) -> tuple[dict[tuple[str, str], tuple[int, Decimal]], dt.datetime]:
    """Sum a big scope's report for the period and store the sums (``report_sums``): by the job for the periods
    people ask for most, or by a view that found none fresh. Derived figures, no personal data: not audited."""
    from .report_sums import encoded, sums_key
    from .reports import tally_sums

    key = sums_key(scope)
    if key is None:
        raise ValueError(f"{scope.label}：中心不多，报表每次现算，不存汇总")
    sums = tally_sums(scope, period)
    now = timezone.now()
    try:
        with transaction.atomic():
            ReportSums.objects.update_or_create(scope_key=key, period=period.code, defaults={
                "summed_at": now, "cells": encoded(sums)})
    except IntegrityError:
        pass  # another view or the job stored them a moment ago: theirs are as fresh as these
    return sums, now
