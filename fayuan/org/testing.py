"""For tests and fixtures: put providers in the criminal-defense pool as master data, without the admission check.

The shared fixtures make their lawyers by hand (``Provider.objects.create``) with no criminal practice on record;
the pool's own tests go through ``defense_pool_admit`` and its criteria.
"""

from __future__ import annotations

import datetime as dt

from .models import DefensePoolMember, Provider

SINCE = dt.date(2018, 1, 1)


def put_in_defense_pool(*providers: Provider, on: dt.date = SINCE) -> None:
    for provider in providers:
        if not DefensePoolMember.objects.filter(provider=provider, left_on__isnull=True).exists():
            DefensePoolMember.objects.create(provider=provider, admitted_on=on, criteria_check="测试数据：直接入库")
        Provider.objects.filter(pk=provider.pk).update(criminal_pool=True)
        provider.criminal_pool = True
