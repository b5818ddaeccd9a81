"""Gap-free, duplicate-free numbers per center, year and series.

The counter row is locked (SELECT … FOR UPDATE) for the rest of the caller's transaction, so two requests
cannot take the same number, and a rolled-back transaction gives its number back: no gaps.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from fayuan.org.models import Center

from .models import DocumentCounter

SERIES_CASE = "case"      # application receipts: 镇法援受〔2026〕第12号
SERIES_DOCUMENT = "doc"   # decisions, notices, letters: 镇法援〔2026〕第123号


def _locked_counter(center: Center, year: int, series: str) -> DocumentCounter:
    counter = DocumentCounter.objects.select_for_update().filter(center=center, year=year, series=series).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: a concurrent creator makes this insert fail, not the caller
            DocumentCounter.objects.create(center=center, year=year, series=series)
    except IntegrityError:
        pass
    return DocumentCounter.objects.select_for_update().get(center=center, year=year, series=series)


def take_number(*, center: Center, year: int, series: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that uses the number")
    counter = _locked_counter(center, year, series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_number(*, center: Center, year: int, number: int, series: str) -> str:
    infix = "受" if series == SERIES_CASE else ""
    return f"{center.doc_prefix}{infix}〔{year}〕第{number}号"
