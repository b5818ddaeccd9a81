"""The criminal-defense pool on the shipped criteria rows: admission checks every criterion in force and writes the
check out, leaving is dated, ``Provider.criminal_pool`` mirrors an open membership, scope is the center (or the
bureau's district), and the pages manage it with a 404 outside the scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed
from fayuan.core.models import AuditEntry
from fayuan.org.defense_pool import (
    criteria_in_force,
    defense_pool_admit,
    defense_pool_leave,
    member_ids_on,
    members_for_user,
)
from fayuan.org.models import DefensePoolCriterion, DefensePoolMember, Provider, ProviderKind

D = dt.date


SEASONED = D(2015, 1, 1)


def _lawyer(center: Any, seq: int, since: dt.date | None = SEASONED, kind: str = ProviderKind.LAWYER) -> Provider:
    return Provider.objects.create(name=f"测试律师{seq}", kind=kind, license_number=f"132112000000090{seq:02d}",
                                   home_center=center, criminal_defense_since=since)


def test_the_shipped_criteria_quote_the_law_or_say_they_are_local(db):
    rows = {c.code: c for c in DefensePoolCriterion.objects.in_force_on(D(2026, 3, 1))}
    assert set(rows) == {"lawyer", "min_criminal_years", "min_training_hours", "no_recent_sanction"}
    assert rows["lawyer"].legal_basis.startswith("《法律援助法》第二十五条：") and not rows["lawyer"].local_default
    assert "指派律师担任辩护人" in rows["lawyer"].legal_basis
    for code in ("min_criminal_years", "min_training_hours", "no_recent_sanction"):
        assert rows[code].local_default and "依据待补" in rows[code].legal_basis
    assert all(c.basis.startswith("本地做法") for c in criteria_in_force(D(2026, 3, 1)) if c.code != "lawyer")


def test_admission_refuses_with_every_failed_criterion_and_changes_nothing(city):
    today = timezone.localdate()
    junior = _lawyer(city.center_a, 1, since=today - dt.timedelta(days=100))
    with pytest.raises(ValidationFailed) as refused:
        defense_pool_admit(actor=city.user("reviewer_a"), provider_id=junior.pk, admitted_on=today,
                           training_hours=4, last_sanction_on=today - dt.timedelta(days=400))
    message = refused.value.message
    assert "刑事辩护执业 0 年" in message and "4 学时" in message and "最近一次处分" in message
    assert "本地做法" in message
    assert not DefensePoolMember.objects.filter(provider=junior).exists()
    junior.refresh_from_db()
    assert not junior.criminal_pool


def test_only_lawyers_enter_the_pool_art_25(city):
    worker = _lawyer(city.center_a, 2, kind=ProviderKind.GRASSROOTS_WORKER)
    with pytest.raises(ValidationFailed, match="第二十五条"):
        defense_pool_admit(actor=city.user("reviewer_a"), provider_id=worker.pk, admitted_on=timezone.localdate(),
                           training_hours=20)


def test_admission_and_leaving_are_dated_audited_and_mirrored(city):
    reviewer, today = city.user("reviewer_a"), timezone.localdate()
    lawyer = _lawyer(city.center_a, 3)
    admitted_on = today - dt.timedelta(days=30)
    member = defense_pool_admit(actor=reviewer, provider_id=lawyer.pk, admitted_on=admitted_on, training_hours=12,
                                last_sanction_on=D(2019, 5, 1))
    assert "刑事辩护执业" in member.criteria_check and "12 学时" in member.criteria_check
    assert "第二十五条" in member.criteria_check and "最近一次处分于 2019-05-01" in member.criteria_check
    lawyer.refresh_from_db()
    assert lawyer.criminal_pool
    with pytest.raises(Conflict, match="已在刑事辩护律师库中"):
        defense_pool_admit(actor=reviewer, provider_id=lawyer.pk, admitted_on=today, training_hours=12)
    for bad in ({"left_on": admitted_on, "reason": "退出"}, {"left_on": today + dt.timedelta(days=1), "reason": "退出"},
                {"left_on": today, "reason": " "}):
        with pytest.raises(ValidationFailed):
            defense_pool_leave(actor=reviewer, member_id=member.pk, **bad)
    defense_pool_leave(actor=reviewer, member_id=member.pk, left_on=today, reason="本人申请退出")
    lawyer.refresh_from_db()
    assert not lawyer.criminal_pool
    assert member_ids_on([lawyer.pk], today - dt.timedelta(days=1)) == {lawyer.pk}
    assert member_ids_on([lawyer.pk], today) == set()
    assert member_ids_on([lawyer.pk], admitted_on - dt.timedelta(days=1)) == set()
    # Back in only from the day they left, not over the closed period.
    with pytest.raises(ValidationFailed, match="上次出库"):
        defense_pool_admit(actor=reviewer, provider_id=lawyer.pk, admitted_on=admitted_on, training_hours=12)
    assert AuditEntry.objects.filter(object_type__icontains="defensepoolmember").count() >= 2


def test_scope_center_and_district_bureau(city):
    lawyer_b = _lawyer(city.center_b, 4)
    with pytest.raises(ValidationFailed, match="不属于您管理的范围"):
        defense_pool_admit(actor=city.user("reviewer_a"), provider_id=lawyer_b.pk,
                           admitted_on=timezone.localdate(), training_hours=12)
    with pytest.raises(ValidationFailed, match="不属于您管理的范围"):
        defense_pool_admit(actor=city.user("bureau_a"), provider_id=lawyer_b.pk,
                           admitted_on=timezone.localdate(), training_hours=12)
    member = defense_pool_admit(actor=city.user("bureau"), provider_id=lawyer_b.pk,
                                admitted_on=timezone.localdate(), training_hours=12)
    with pytest.raises(NotFoundOrForbidden):
        defense_pool_leave(actor=city.user("reviewer_a"), member_id=member.pk, left_on=timezone.localdate(),
                           reason="退出")
    with pytest.raises(PermissionDenied):
        defense_pool_admit(actor=city.user("provider_a"), provider_id=lawyer_b.pk,
                           admitted_on=timezone.localdate(), training_hours=12)
    assert member in members_for_user(city.user("reviewer_b"))
    assert member not in members_for_user(city.user("reviewer_a"))


def test_the_pages_admit_show_and_let_leave(client, city):
    lawyer = _lawyer(city.center_a, 5)
    sign_in(client, city.user("reviewer_a"))
    page = client.get("/office/org/defense-pool/admit/")
    assert page.status_code == 200 and "测试律师5" in page.content.decode() and "第二十五条" in page.content.decode()
    refused = client.post("/office/org/defense-pool/admit/", {
        "provider": lawyer.pk, "admitted_on": timezone.localdate().isoformat(), "training_hours": 2})
    assert refused.status_code == 200 and "学时" in refused.content.decode()
    done = client.post("/office/org/defense-pool/admit/", {
        "provider": lawyer.pk, "admitted_on": timezone.localdate().isoformat(), "training_hours": 20})
    member = DefensePoolMember.objects.get(provider=lawyer, left_on__isnull=True)
    assert done.status_code == 302 and done.url == f"/office/org/defense-pool/{member.pk}/"
    listing = client.get("/office/org/defense-pool/").content.decode()
    assert "测试律师5" in listing and "王律师" in listing
    left = client.post(f"/office/org/defense-pool/{member.pk}/leave/",
                       {"left_on": timezone.localdate().isoformat(), "reason": "x"}, follow=True)
    assert "未出库" in left.content.decode()
    member.refresh_from_db()
    assert member.left_on is None
    sign_in(client, city.user("reviewer_b"))
    assert client.get(f"/office/org/defense-pool/{member.pk}/").status_code == 404
    assert "测试律师5" not in client.get("/office/org/defense-pool/").content.decode()
