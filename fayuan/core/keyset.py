"""Keyset pagination for long lists ordered newest first: a page is "the next 25 after this row", found through
the index on (time, id) whatever the depth, where ``OFFSET 25000`` would read and drop 25,000 rows first.

The cursor is the boundary row's time and id in an opaque URL token (no personal data). The total is counted up to a
cap: the exact number of a million rows costs more than the page itself, and "超过 1 万条" says enough.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from .capped import CappedCount, capped_count

M = TypeVar("M", bound=Model)


@dataclass
class KeysetPage(Generic[M]):
    rows: list[M]
    next_cursor: str | None  # ?after=… : the older rows
    previous_cursor: str | None  # ?before=… : the newer rows
    count: CappedCount
    capped: bool

    def __iter__(self) -> Any:
        return iter(self.rows)

    @property
    def count_label(self) -> str:
        return self.count.label


def encode_cursor(at: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> tuple[dt.datetime, int] | None:
    """The boundary of a cursor, or None for a missing or damaged one (the list then starts from the top)."""
    if not token or len(token) > 100:
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        at_text, pk_text = text.split("|")
        at = dt.datetime.fromisoformat(at_text)
        return (at, int(pk_text)) if at.tzinfo is not None else None
    except (ValueError, UnicodeDecodeError):
        return None


def keyset_page(qs: QuerySet[M], *, time_field: str, after: str | None = None, before: str | None = None,
                size: int = 25) -> KeysetPage[M]:
    """The page of ``qs`` (newest first by ``time_field``, then id) after or before a cursor."""
    total = capped_count(qs)
    newest_first = qs.order_by(f"-{time_field}", "-pk")
    going_back = decode_cursor(before)
    going_on = None if going_back else decode_cursor(after)
    if going_back is not None:
        at, pk = going_back
        newer = qs.filter(Q(**{f"{time_field}__gt": at}) | Q(**{time_field: at, "pk__gt": pk}))
        rows = list(newer.order_by(time_field, "pk")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        more_after = True
    else:
        if going_on is not None:
            at, pk = going_on
            newest_first = newest_first.filter(Q(**{f"{time_field}__lt": at}) | Q(**{time_field: at, "pk__lt": pk}))
        rows = list(newest_first[: size + 1])
        more_after = len(rows) > size
        rows = rows[:size]
        more_before = going_on is not None
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return KeysetPage(
        rows=rows,
        next_cursor=encode_cursor(getattr(last, time_field), last.pk) if last is not None and more_after else None,
        previous_cursor=(encode_cursor(getattr(first, time_field), first.pk)
                         if first is not None and more_before else None),
        count=total, capped=total.capped,
    )
