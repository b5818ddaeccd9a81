"""The criminal-defense pool of the demo city, through the pool service: the lawyers the roster marks for it
(``ProviderSpec.criminal_pool``) are admitted by their center's reviewer. Those who meet the criteria before the
replayed year are admitted then (at that moment, so the audit log's times keep rising and the replayed criminal
cases find a pool); the rest once they qualify, after the replayed past, dated today. Safe to run again: a lawyer
already in the pool is left alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.org.defense_pool import criteria_in_force, defense_pool_admit
from fayuan.org.defense_pool_rules import Facts, admission_refusals
from fayuan.org.models import DefensePoolMember, Provider, ProviderKind

from .accounts import reviewer_username

TRAINING_HOURS = 24  # every demo pool lawyer took the bar association's criminal-defense course


def _key_of(provider: Provider, centers: dict[int, str]) -> str:
    return centers[provider.home_center_id]


def admit_pool(intended: Iterable[Provider], users: dict[str, User], centers: dict[int, str]) -> int:
    """Admit, on today's date, the intended lawyers who qualify today and are not in the pool; returns how many."""
    today = timezone.localdate()
    criteria = criteria_in_force(today)
    members = set(DefensePoolMember.objects.filter(left_on__isnull=True).values_list("provider_id", flat=True))
    admitted = 0
    for p in intended:
        if p.pk in members or p.kind != ProviderKind.LAWYER:
            continue
        facts = Facts(is_lawyer=True, years_criminal=p.years_of_criminal_defense(today),
                      training_hours=TRAINING_HOURS, last_sanction_on=None, on=today)
        if admission_refusals(criteria, facts):
            continue
        defense_pool_admit(actor=users[reviewer_username(_key_of(p, centers))], provider_id=p.pk, admitted_on=today,
                           training_hours=TRAINING_HOURS)
        admitted += 1
    return admitted


def pre_window_moment(first_registration: dt.datetime) -> dt.datetime:
    """The working morning before the first person was registered: the first thing the demo's audit log records."""
    return first_registration - dt.timedelta(days=1)
