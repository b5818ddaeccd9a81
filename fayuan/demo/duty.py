"""Duty lawyers in the demo city, through the duty services: a pool for every duty station (courts and detention
centers) from the lawyers of its center, last month's and this month's rotas generated and published by each
center's reviewer, and a few help records of the demo duty lawyer. Safe to run again: what exists is kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.duty import services
from fayuan.duty.models import DutyPoolMember, HelpRecord, RotaMonth, RotaStatus
from fayuan.duty.rules import Facts, admission_refusals
from fayuan.duty.selectors import duty_stations
from fayuan.duty.services.pools import criteria_in_force
from fayuan.org.models import Provider, ProviderKind

from .accounts import reviewer_username
from .builders import Org

POOL_SIZE = 4
HELP = [("张某", "investigation", "consultation", ""),
        ("李某", "prosecution", "plea_witnessed", "镇京检刑诉〔2026〕1号"),
        ("王某", "trial", "procedural_advice", ""), ("赵某", "investigation", "bail", "")]


@dataclass
class DutyResult:
    admitted: int = 0
    rotas: list[RotaMonth] = field(default_factory=list)
    help_records: int = 0


def _eligible(center_id: int, on: dt.date) -> list[Provider]:
    criteria = criteria_in_force(on)
    lawyers = Provider.objects.filter(home_center_id=center_id, kind=ProviderKind.LAWYER, active=True).order_by("pk")
    return [p for p in lawyers
            if not admission_refusals(criteria, Facts(p.years_of_practice(on), True, False))]


def seed_duty(org: Org, users: dict[str, User]) -> DutyResult:
    result = DutyResult()
    today = timezone.localdate()
    admitted_on = today.replace(day=1) - dt.timedelta(days=365)
    months = [(today.replace(day=1) - dt.timedelta(days=1)).replace(day=1), today.replace(day=1)]
    duty_user = users["demo_duty"]
    duty_lawyer = duty_user.provider
    if duty_lawyer is None:  # the account specs link demo_duty to a lawyer; never happens
        raise RuntimeError("demo_duty has no provider")
    for key, center in org.centers.items():
        reviewer = users[reviewer_username(key)]
        stations = list(duty_stations().filter(center=center).order_by("pk"))
        lawyers = _eligible(center.pk, admitted_on)
        if center.pk == duty_lawyer.home_center_id and duty_lawyer in lawyers:
            lawyers.remove(duty_lawyer)
            lawyers.insert(0, duty_lawyer)  # the demo duty lawyer serves at the first station
        for i, station in enumerate(stations):
            # Overlapping pools: each station takes the next lawyers round the roster, so some serve two stations.
            chosen = [lawyers[(i * (POOL_SIZE - 1) + j) % len(lawyers)] for j in range(POOL_SIZE)] if lawyers else []
            for provider in dict.fromkeys(chosen):
                if DutyPoolMember.objects.filter(station=station, provider=provider, left_on__isnull=True).exists():
                    continue
                services.pool_admit(actor=reviewer, station_id=station.pk, provider_id=provider.pk,
                                    admitted_on=admitted_on, assessment_result="passed", has_sanction=False)
                result.admitted += 1
        for month in months:
            rota = RotaMonth.objects.filter(center=center, month=month).first()
            if stations and (rota is None or rota.status != RotaStatus.PUBLISHED):
                services.rota_generate(actor=reviewer, month=month)
                rota = services.rota_publish(actor=reviewer, month=month)
            if rota is not None:
                result.rotas.append(rota)
    if not HelpRecord.objects.filter(provider=duty_lawyer).exists():
        past = list(duty_lawyer.duties.filter(active=True, rota__month=months[0]).order_by("date")[:len(HELP)])
        for duty, (name, stage, kind, number) in zip(past, HELP, strict=False):
            services.help_record_create(actor=duty_user, duty_id=duty.pk, person_name=name, stage=stage, kind=kind,
                                        organ_case_number=number)
            result.help_records += 1
    return result
