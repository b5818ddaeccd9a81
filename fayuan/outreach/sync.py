"""Registered households from the recipient registry (受援对象信息库): the agencies' records valid on a day, grouped
by source and the agency's household number, become ``Household`` rows linked to their place by the 12-digit
code; members are matched by the ID hash (the registry's ciphertext and masked number are copied, never the
number in clear). A household the agencies no longer list is kept (its visits and cards are history) but marked
no longer registered; one listed again is registered again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fayuan.core.audit import audit_record
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.places.models import Place
from fayuan.registry.selectors import registry_records_valid_on

from .models import Household, HouseholdMember, HouseholdOrigin


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    members_added: int = 0
    unplaced: int = 0  # households whose place code matches no village or community
    unplaced_codes: set[str] = field(default_factory=set)


@dataclass
class _Listed:
    place_code: str
    address: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # id_hash -> fields


def _listed(day: dt.date) -> dict[tuple[str, str], _Listed]:
    rows = (registry_records_valid_on(day).exclude(household_key="")
            .order_by("source__code", "household_key", "pk")
            .values_list("source__code", "household_key", "place_code", "address", "name", "category", "id_hash",
                         "id_number_encrypted", "id_number_masked"))
    listed: dict[tuple[str, str], _Listed] = {}
    for source, key, place, address, name, category, id_hash, encrypted, masked in rows.iterator(chunk_size=2000):
        entry = listed.setdefault((source, key), _Listed(place_code=place, address=address))
        entry.place_code = entry.place_code or place
        entry.address = entry.address or address
        member = entry.members.setdefault(id_hash, {"name": name, "categories": [], "id_number_encrypted": encrypted,
                                                    "id_number_masked": masked})
        if category not in member["categories"]:
            member["categories"].append(category)
    return listed


@atomic_service
def households_sync_from_registry(*, on: dt.date, actor: Any = None) -> SyncResult:
    """Create or update the registered households from the registry's records valid on ``on``. Idempotent: a second
    run on the same day changes nothing. The first record's person of a household is taken as its head."""
    result = SyncResult()
    listed = _listed(on)
    places = {p.code: p for p in Place.objects.filter(code__in={e.place_code for e in listed.values()})}
    existing = {(h.registry_source, h.registry_key): h for h in Household.objects.filter(
        origin=HouseholdOrigin.REGISTRY).select_for_update().prefetch_related("members")}
    for (source, key), entry in listed.items():
        place = places.get(entry.place_code)
        if place is None:
            result.unplaced += 1
            result.unplaced_codes.add(entry.place_code)
            continue
        head_hash = next(iter(entry.members))
        head = entry.members[head_hash]["name"]
        household = existing.get((source, key))
        if household is None:
            household = Household.objects.create(
                place=place, head_name=head, address=entry.address[:200], origin=HouseholdOrigin.REGISTRY,
                registry_source=source, registry_key=key, synced_on=on)
            have: dict[str, HouseholdMember] = {}
            created = True
            result.created += 1
        else:
            created = False
            changed = (household.place_id != place.pk or household.head_name != head or not household.active
                       or household.address != entry.address[:200])
            household.place, household.head_name, household.active = place, head, True
            household.address, household.synced_on = entry.address[:200], on
            household.save(update_fields=["place", "head_name", "active", "address", "synced_on"])
            have = {m.id_hash: m for m in household.members.all() if m.id_hash}
            result.updated += changed
            result.unchanged += not changed
        new = []
        for id_hash, m in entry.members.items():
            category = ",".join(m["categories"])[:40]
            member = have.get(id_hash)
            if member is None:
                new.append(HouseholdMember(household=household, name=m["name"], category=category, id_hash=id_hash,
                                           id_number_encrypted=m["id_number_encrypted"],
                                           id_number_masked=m["id_number_masked"],
                                           relation="户主" if created and id_hash == head_hash else ""))
            elif (member.name, member.category) != (m["name"], category):
                member.name, member.category = m["name"], category
                member.save(update_fields=["name", "category"])
        HouseholdMember.objects.bulk_create(new)
        result.members_added += len(new)
    gone = [h.pk for k, h in existing.items() if k not in listed and h.active]
    result.deactivated = Household.objects.filter(pk__in=gone).update(active=False)
    if not (result.created or result.updated or result.deactivated or result.members_added):
        return result  # a sync that changed nothing is not an event (a daily run would fill the log with none)
    audit_record(actor=actor, action=AuditAction.UPDATE, object_type="outreach.household_sync",
                 detail={"on": on.isoformat(), "created": result.created, "updated": result.updated,
                         "deactivated": result.deactivated, "members_added": result.members_added,
                         "unplaced": result.unplaced})
    return result
