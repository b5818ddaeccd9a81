"""The rule rows in force on a day, as the calculator's plain values (``tariff`` stays free of the database)."""

from __future__ import annotations

import datetime as dt

from fayuan.eligibility.models import CaseType
from fayuan.quality.models import QualityGrade

from . import tariff
from .models import CostItem, CostLimit, PaymentTerm, QualityAdjustment, Service, Tariff, Unit

# A case's type → the service its subsidy is paid for (a criminal case is one stage: the case's own).
SERVICE_OF_CASE_TYPE: dict[str, str] = {
    CaseType.CRIMINAL: Service.CRIMINAL_DEFENSE,
    CaseType.CIVIL: Service.CIVIL,
    CaseType.ADMINISTRATIVE: Service.ADMINISTRATIVE,
    CaseType.STATE_COMPENSATION: Service.STATE_COMPENSATION,
    CaseType.NON_LITIGATION: Service.NON_LITIGATION,
}
LABELS: dict[str, str] = {**dict(Service.choices), **dict(CostItem.choices), **dict(QualityGrade.choices)}
DEFAULT_PAYMENT_DAYS = 60  # only when no row is in force; the shipped row says the same


def rates_on(day: dt.date) -> list[tariff.Rate]:
    units = dict(Unit.choices)
    return [tariff.Rate(service=r.service, procedure=r.procedure, district_id=r.district_id, amount=r.amount,
                        unit=r.unit, unit_label=units.get(r.unit, r.unit), basis=r.basis_label, rule_id=r.pk,
                        is_sample=r.is_sample)
            for r in Tariff.objects.in_force_on(day).order_by("pk")]


def limits_on(day: dt.date) -> list[tariff.Limit]:
    return [tariff.Limit(item=r.item, cap=r.cap, basis=r.basis_label, rule_id=r.pk)
            for r in CostLimit.objects.in_force_on(day).order_by("effective_from", "pk")]


def adjustments_on(day: dt.date) -> list[tariff.Adjustment]:
    return [tariff.Adjustment(grade=r.grade, percent=r.percent, basis=r.basis_label, rule_id=r.pk)
            for r in QualityAdjustment.objects.in_force_on(day).order_by("effective_from", "pk")]


def payment_days_on(day: dt.date) -> int:
    row = PaymentTerm.objects.in_force_on(day).order_by("-effective_from").first()
    return row.days if row is not None else DEFAULT_PAYMENT_DAYS


def payment_term_on(day: dt.date) -> PaymentTerm | None:
    return PaymentTerm.objects.in_force_on(day).order_by("-effective_from").first()
