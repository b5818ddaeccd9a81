"""Registered households from the recipient registry: grouped by source and household number, placed by code,
members matched by the ID hash, idempotent, a household no longer listed kept but no longer registered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from fayuan.conftest import valid_id
from fayuan.core.crypto import decrypt_text, lookup_hash
from fayuan.core.models import AuditEntry
from fayuan.registry.services import registry_batch_create, registry_import_run

from ..models import Household, HouseholdOrigin
from ..sync import households_sync_from_registry
from .support import make_place

pytestmark = pytest.mark.django_db
HEADER = "身份证号码,姓名,救助类别,家庭编号,行政区划代码,家庭住址,起始日期,终止日期\r\n"


def import_civil_affairs(text: str, tmp_path, settings, name: str = "mz.csv") -> None:
    settings.MEDIA_ROOT = tmp_path
    batch = registry_batch_create(actor=None, source_code="civil_affairs",
                                  upload=ContentFile((HEADER + text).encode(), name=name), name=name)
    registry_import_run(batch_id=batch.public_id)


def test_sync_groups_places_and_is_idempotent(city, tmp_path, settings):
    place = make_place(city.district_a, "321102001001", "红旗村")
    rows = (f"{valid_id(41)},张大山,低保,F1,{place.code},红旗村1组,2025-01-01,\r\n"
            f"{valid_id(42)},李小花,低保,F1,{place.code},红旗村1组,2025-01-01,\r\n"
            f"{valid_id(43)},王二,特困,F2,999999999999,某地,2025-01-01,\r\n"
            f"{valid_id(44)},赵五,低保,,{place.code},,2025-01-01,\r\n")  # no household number: not a household
    import_civil_affairs(rows, tmp_path, settings)
    today = timezone.localdate()
    first = households_sync_from_registry(on=today)
    assert (first.created, first.unplaced, first.members_added) == (1, 1, 2)
    h = Household.objects.get()
    assert (h.origin, h.registry_source, h.registry_key, h.place, h.head_name) == (
        HouseholdOrigin.REGISTRY, "civil_affairs", "F1", place, "张大山")
    head = h.members.get(id_hash=lookup_hash(valid_id(41)))
    assert head.relation == "户主" and head.category == "low_income_allowance"
    assert decrypt_text(head.id_number_encrypted) == valid_id(41)
    synced = AuditEntry.objects.filter(object_type="outreach.household_sync")
    assert synced.count() == 1
    again = households_sync_from_registry(on=today)
    assert (again.created, again.updated, again.unchanged, again.members_added) == (0, 0, 1, 0)
    assert synced.count() == 1  # a sync that changed nothing writes no audit entry
    assert Household.objects.count() == 1 and h.members.count() == 2


def test_a_household_no_longer_listed_is_kept_but_not_registered(city, tmp_path, settings):
    place = make_place(city.district_a, "321102001001", "红旗村")
    import_civil_affairs(f"{valid_id(41)},张大山,低保,F1,{place.code},,2025-01-01,\r\n", tmp_path, settings)
    households_sync_from_registry(on=timezone.localdate())
    import_civil_affairs(f"{valid_id(45)},钱六,低保,F3,{place.code},,2025-01-01,\r\n", tmp_path, settings,
                         name="mz2.csv")
    later = households_sync_from_registry(on=timezone.localdate() + dt.timedelta(days=1))
    assert later.deactivated == 1 and later.created == 1
    assert not Household.objects.get(registry_key="F1").active
    assert Household.objects.get(registry_key="F3").active
