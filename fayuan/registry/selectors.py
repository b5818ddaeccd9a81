"""Scoped reads of the registry, and the selectors other apps call (intake, outreach, contact cards).

Registry records are city-wide reference data: no center owns them. Staff see a person's records only through the
audited query (``services.registry_query``); lists show sources and batches (counts, never people). Managers
(bureau supervisors and center directors: those who receive agencies' files and answer for them) see every batch.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from fayuan.accounts.models import User
from fayuan.accounts.roles import BUREAU_ROLES, INTAKE_ROLES, Role
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.eligibility.engine import GROUP_NAMES

from .models import RegistryBatch, RegistryRecord, RegistrySource

# Import files and edit a source's column mapping: the bureau and the center directors.
REGISTRY_MANAGERS = frozenset({Role.BUREAU_SUPERVISOR, Role.CENTER_DIRECTOR})
# Look a person up (audited): whoever takes in or reviews applications, and the bureau.
REGISTRY_QUERY_ROLES = INTAKE_ROLES | BUREAU_ROLES


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    return ((Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day}))
            & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})))


def registry_records_valid_on(day: dt.date, *, id_hash: str | None = None,
                              categories: frozenset[str] | None = None,
                              place_code_prefix: str = "") -> QuerySet[RegistryRecord]:
    """The records valid on ``day`` (valid_from ≤ day ≤ valid_to, an open end counts), with their source; optionally
    of one person (``core.crypto.lookup_hash`` of the ID number), of some categories, or under an area's code."""
    rows = RegistryRecord.objects.filter(valid_on_q(day)).select_related("source", "changed_batch")
    if id_hash is not None:
        rows = rows.filter(id_hash=id_hash)
    if categories is not None:
        rows = rows.filter(category__in=categories)
    if place_code_prefix:
        rows = rows.filter(place_code__startswith=place_code_prefix)
    return rows.order_by("source__code", "category", "pk")


def citation(record: RegistryRecord) -> str:
    """How a decision cites the record it rests on: source, category, validity, the batch it came with."""
    end = f"{record.valid_to:%Y年%m月%d日}" if record.valid_to else "长期"
    start = f"{record.valid_from:%Y年%m月%d日}" if record.valid_from else "未载明"
    batch_day = record.changed_batch.effective_on or record.changed_batch.created_at.date()
    return (f"据{record.source.agency}“{record.source.name}”（{batch_day:%Y年%m月%d日}导入），"
            f"类别{GROUP_NAMES.get(record.category, record.category)}，有效期{start}至{end}")


def registry_citations(id_hash: str | None, day: dt.date) -> dict[str, str]:
    """Group code → citation of a record valid on ``day`` for the person, for the eligibility engine."""
    if not id_hash:
        return {}
    found: dict[str, str] = {}
    for record in registry_records_valid_on(day, id_hash=id_hash):
        found.setdefault(record.category, citation(record))
    return found


@dataclass
class Household:
    source_code: str
    household_key: str
    place_code: str
    members: list[tuple[str, str]] = field(default_factory=list)  # (name, category label)


def registered_households_on(day: dt.date, *, place_code_prefix: str = "",
                             categories: frozenset[str] | None = None) -> Iterator[Household]:
    """Households the agencies list (records with a household number) valid on ``day``, one per source and
    household number, with members' names and categories; streamed, ordered by place then household."""
    rows = (registry_records_valid_on(day, categories=categories, place_code_prefix=place_code_prefix)
            .exclude(household_key="").order_by("place_code", "source__code", "household_key", "pk")
            .values_list("source__code", "household_key", "place_code", "name", "category"))
    current: Household | None = None
    for source_code, key, place, name, category in rows.iterator(chunk_size=2000):
        if current is None or (current.source_code, current.household_key) != (source_code, key):
            if current is not None:
                yield current
            current = Household(source_code, key, place)
        current.members.append((name, GROUP_NAMES.get(category, category)))
    if current is not None:
        yield current


def registry_source_names() -> dict[str, str]:
    """Each source's code → its agency and name, for pages that show where a record came from (reference data)."""
    rows = RegistrySource.objects.values_list("code", "agency", "name")
    return {code: f"{agency}·{name}" for code, agency, name in rows}


def sources_for_user(user: User) -> QuerySet[RegistrySource]:
    if user.role not in REGISTRY_MANAGERS:
        return RegistrySource.objects.none()
    return RegistrySource.objects.order_by("code")


def source_get_for_user(user: User, code: str) -> RegistrySource:
    source = sources_for_user(user).filter(code=code).first()
    if source is None:
        raise NotFoundOrForbidden()
    return source


def batches_for_user(user: User) -> QuerySet[RegistryBatch]:
    if user.role not in REGISTRY_MANAGERS:
        return RegistryBatch.objects.none()
    return RegistryBatch.objects.select_related("source", "uploaded_by").order_by("-created_at", "-pk")


def batch_get_for_user(user: User, public_id: uuid.UUID | str) -> RegistryBatch:
    batch = batches_for_user(user).filter(public_id=public_id).first()
    if batch is None:
        raise NotFoundOrForbidden()
    return batch
