"""Writing the month's rota: the pure generator (``duty.rota``) decides, this module reads its input and stores
its output. A draft is replaced on each generation; a published rota is never regenerated (swaps change it)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.core.audit import audit_record
from fayuan.core.errors import Conflict, ValidationFailed
from fayuan.core.models import AuditAction
from fayuan.core.transactions import atomic_service
from fayuan.deadlines.calendar import HolidayCalendar
from fayuan.deadlines.selectors import holiday_calendar
from fayuan.org.models import Center

from .. import rota as generator
from ..models import Duty, DutyPoolMember, RotaGap, RotaMonth, RotaStatus, Unavailability
from ..selectors import duty_stations
from ._common import require_center
from .notices import staff_open_notices


def month_days(month: dt.date) -> list[dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return [first + dt.timedelta(days=i) for i in range((following - first).days)]


def working_days(month: dt.date, calendar: HolidayCalendar | None = None) -> list[dt.date]:
    calendar = calendar or holiday_calendar()
    return [d for d in month_days(month) if calendar.is_workday(d)]


def _inputs(center: Center, days: list[dt.date], rota: RotaMonth) -> dict:
    stations = list(duty_stations().filter(center=center).order_by("pk"))
    first, last = days[0], days[-1]
    members = (DutyPoolMember.objects.filter(station__in=stations, admitted_on__lte=last)
               .exclude(left_on__lte=first).select_related("provider"))
    by_station: dict[int, list[generator.PoolSpan]] = defaultdict(list)
    names: dict[int, str] = {}
    for m in members:
        by_station[m.station_id].append(generator.PoolSpan(m.provider_id, m.admitted_on, m.left_on))
        names[m.provider_id] = m.provider.name
    pools = [generator.StationPool(s.pk, s.name, tuple(by_station[s.pk])) for s in stations]
    blocked: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for row in Unavailability.objects.filter(provider_id__in=names, start_on__lte=last, end_on__gte=first):
        for day in days:
            if row.start_on <= day <= row.end_on:
                blocked[row.provider_id][day] = f"请假：{row.reason}"
    # Duties these lawyers already hold elsewhere this month (another center's rota): that day is taken, and the
    # duty counts towards their share.
    elsewhere = (Duty.objects.filter(provider_id__in=names, date__gte=first, date__lte=last, active=True)
                 .exclude(rota=rota).select_related("station"))
    held: dict[int, int] = defaultdict(int)
    for duty in elsewhere:
        blocked[duty.provider_id][duty.date] = f"当日已在{duty.station.name}值班"
        held[duty.provider_id] += 1
    return {"days": days, "stations": pools, "unavailable": blocked, "held_elsewhere": held, "names": names}


@atomic_service
def rota_generate(*, actor: User, month: dt.date) -> RotaMonth:
    """Generate (or regenerate) the draft rota of the actor's center for ``month``."""
    require_center(actor)
    month = month.replace(day=1)
    center = Center.objects.get(pk=actor.center_id or 0)
    now = timezone.now()
    rota, created = RotaMonth.objects.select_for_update().get_or_create(
        center=center, month=month, defaults={"generated_at": now, "generated_by": actor})
    if rota.status == RotaStatus.PUBLISHED:
        raise Conflict(f"{month:%Y年%m月}的排班已发布，只能通过换班调整，不能重新生成。")
    calendar = holiday_calendar()
    days = working_days(month, calendar)
    if not days:
        raise ValidationFailed("该月没有工作日。", field="month")
    rota.duties.all().delete()
    rota.gaps.all().delete()
    result = generator.generate(**_inputs(center, days, rota))
    try:
        with transaction.atomic():
            Duty.objects.bulk_create([Duty(rota=rota, station_id=station_id, provider_id=provider_id, date=day)
                                      for (station_id, day), provider_id in sorted(result.duties.items())])
    except IntegrityError:
        # Another center's generation took one of these lawyers on one of these days meanwhile: nothing is kept.
        raise Conflict("生成期间有律师被其他中心排入同日值班，请重新生成。") from None
    RotaGap.objects.bulk_create([RotaGap(rota=rota, station_id=g.station_id, date=g.day, reason=g.reason[:300])
                                 for g in result.gaps])
    rota.generated_at, rota.generated_by, rota.spread = now, actor, result.spread
    rota.provisional = not calendar.is_known(month.year)
    rota.save(update_fields=["generated_at", "generated_by", "spread", "provisional"])
    audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=rota,
                 detail={"fields": ["duties"], "duties": len(result.duties), "gaps": len(result.gaps)})
    return rota


@atomic_service
def rota_publish(*, actor: User, month: dt.date) -> RotaMonth:
    require_center(actor)
    rota = (RotaMonth.objects.select_for_update()
            .filter(center_id=actor.center_id or 0, month=month.replace(day=1)).first())
    if rota is None:
        raise Conflict("该月尚未生成排班。")
    if rota.status == RotaStatus.PUBLISHED:
        raise Conflict("该月排班已发布。")
    rota.status, rota.published_at, rota.published_by = RotaStatus.PUBLISHED, timezone.now(), actor
    rota.save(update_fields=["status", "published_at", "published_by"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=rota, detail={"fields": ["status"]})
    # Notices that found nobody on the rota for their day (unstaffed) get the lawyer now on the slot.
    staff_open_notices(actor=actor, rota=rota)
    return rota


def duty_counts(rota: RotaMonth) -> dict[int, int]:
    rows = rota.duties.filter(active=True).values("provider_id").annotate(n=Count("id"))
    return {r["provider_id"]: r["n"] for r in rows}
