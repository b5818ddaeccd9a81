"""Reads for the public site. Everything about a case starts at ``portal_case_get``: the signed-in applicant sees
the cases they are applicant or agent of (``cases_visible_to``) and the ones they submitted online; anything else
is a 404, the same as a case that does not exist."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.cases.models import (
    Case,
    CaseEvent,
    Decision,
    DecisionKind,
    ProgressEntry,
    ProgressKind,
    Status,
    SupplementRequest,
)
from fayuan.cases.selectors import cases_visible_to
from fayuan.core.audit import audit_record
from fayuan.core.errors import NotFoundOrForbidden
from fayuan.core.geo import haversine_km
from fayuan.core.models import AuditAction
from fayuan.core.params import parse_id
from fayuan.eligibility.models import CriminalGround, ExemptionGroup, FactRule, GreenChannelRule, Matter
from fayuan.org.models import Center, District, MinimumWage, Provider, Station

from . import timeline
from .models import Rating, RatingStage

CLOSED_STATUSES = (Status.CLOSED, Status.ARCHIVED)
HANDLING_STATUSES = frozenset({Status.ASSIGNED, Status.AGREEMENT_SIGNED, Status.IN_PROGRESS})
OBJECTABLE_STATUSES = frozenset({Status.REFUSED, Status.TERMINATED})


# --- Scope --------------------------------------------------------------------------------------------------------


def portal_cases_for(user: User | Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role != Role.APPLICANT:
        return Case.objects.none()
    visible = cases_visible_to(user).values("pk")
    return Case.objects.filter(Q(pk__in=visible) | Q(portal_submission__account=user))


def portal_case_get(user: User, public_id: Any, *, for_update: bool = False, audit: bool = True) -> Case:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundOrForbidden() from None
    ids = list(portal_cases_for(user).filter(public_id=key).values_list("pk", flat=True)[:1])
    if not ids:
        raise NotFoundOrForbidden()
    qs = Case.objects.filter(pk=ids[0])
    case = (qs.select_for_update().first() if for_update
            else qs.select_related("center", "provider", "provider__firm", "applicant", "agent").first())
    if case is None:
        raise NotFoundOrForbidden()
    if audit:
        audit_record(actor=user, action=AuditAction.READ, obj=case, purpose="本人查看申请进度")
    return case


def my_cases(user: User) -> QuerySet[Case]:
    return portal_cases_for(user).select_related("center").order_by("-received_at", "-id")


# --- Timeline -----------------------------------------------------------------------------------------------------


def _provider_cards(ids: Iterable[int]) -> dict[int, timeline.ProviderCard]:
    return {
        p.pk: timeline.ProviderCard(p.name, p.firm.name if p.firm else "", p.phone, p.firm.phone if p.firm else "")
        for p in Provider.objects.select_related("firm").filter(pk__in=set(ids))
    }


def case_timeline(case: Case) -> list[timeline.Entry]:
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    refusals = list(Decision.objects.filter(case=case, kind=DecisionKind.REFUSE).order_by("-decided_at"))
    supplement = SupplementRequest.objects.filter(case=case).first()
    termination = case.terminations.order_by("-decided_at").first()
    provider_ids = [int(e.payload.get("provider") or 0) for e in events if isinstance(e.payload, dict)]
    ctx = timeline.Context(
        case_number=case.number,
        refusal_reasons={d.decided_at: d.reasons for d in refusals},
        latest_refusal_reasons=refusals[0].reasons if refusals else "",
        supplement_items=tuple(supplement.items) if supplement else (),
        supplement_due=supplement.due_on if supplement else None,
        providers=_provider_cards(i for i in provider_ids if i),
        current_provider_id=case.assignments.filter(is_active=True).values_list("provider_id", flat=True).first(),
        objection_reasons={o.decided_at: o.decision_reasons for o in case.objections.all() if o.decided_at},
        termination_reason=termination.get_reason_display() if termination else "",
    )
    rows = [(e.kind, e.at, e.note, e.payload if isinstance(e.payload, dict) else {}) for e in events]
    return list(reversed(timeline.build(rows, ctx)))


def hearings(case: Case) -> list[ProgressEntry]:
    return list(ProgressEntry.objects.filter(case=case, kind=ProgressKind.HEARING).order_by("hearing_at", "id"))


def current_provider(case: Case) -> Provider | None:
    active = case.assignments.select_related("provider", "provider__firm").filter(is_active=True).first()
    return active.provider if active else None


# --- Stages and ratings -------------------------------------------------------------------------------------------

STAGE_EVENTS: dict[str, frozenset[str]] = {
    RatingStage.CONSULTATION: frozenset({"received"}),
    RatingStage.ACCEPTANCE: frozenset({"grant", "refuse", "provide_aid_first"}),
    RatingStage.HANDLING: frozenset({"sign_agreement"}),
    RatingStage.CLOSING: frozenset({"accept_closing"}),
}


def stages_reached(case: Case) -> list[str]:
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    return [stage for stage, wanted in STAGE_EVENTS.items() if kinds & wanted]


def my_ratings(user: User, case: Case) -> dict[str, Rating]:
    return {r.stage: r for r in Rating.objects.filter(case=case, by=user)}


# --- Choosing a provider (the rules and the window are in ``cases``) ---------------------------------------------


@dataclass(frozen=True)
class ProviderProfile:
    id: int
    name: str
    kind: str
    gender: str
    firm: str
    firm_phone: str
    center: str
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    years_of_practice: int
    excellent_team: bool
    closed_cases: int
    rating_avg: Decimal | None
    rating_count: int
    specialty_match: bool = False


def provider_profiles(providers: Iterable[Provider], on: dt.date | None = None,
                      matches: frozenset[int] = frozenset()) -> list[ProviderProfile]:
    """Profiles for a list of providers (loaded with firm, home center, specialties and languages), in order."""
    on = on or timezone.localdate()
    providers = list(providers)
    ids = [p.pk for p in providers]
    closed = dict(Case.objects.filter(provider_id__in=ids, status__in=CLOSED_STATUSES).values("provider_id")
                  .annotate(n=Count("id")).values_list("provider_id", "n"))
    ratings = {r["provider_id"]: r for r in Rating.objects.filter(provider_id__in=ids).values("provider_id")
               .annotate(avg=Avg("score"), n=Count("id"))}
    out = []
    for p in providers:
        r = ratings.get(p.pk)
        avg = (Decimal(str(r["avg"])).quantize(Decimal("0.1"), ROUND_HALF_UP) if r and r["avg"] is not None
               else None)
        out.append(ProviderProfile(
            id=p.pk, name=p.name, kind=p.get_kind_display(), gender=p.get_gender_display(),
            firm=p.firm.name if p.firm else "", firm_phone=p.firm.phone if p.firm else "",
            center=p.home_center.name, specialties=tuple(s.name for s in p.specialties.all()),
            languages=tuple(lang.name for lang in p.languages.all()), years_of_practice=p.years_of_practice(on),
            excellent_team=p.excellent_team, closed_cases=closed.get(p.pk, 0), rating_avg=avg,
            rating_count=r["n"] if r else 0, specialty_match=p.pk in matches,
        ))
    return out


def choosable_providers(case: Case) -> list[ProviderProfile]:
    """The providers the rotation would accept for this case (capacity, conflicts, art. 26), in rotation order."""
    from fayuan.cases.services.assignment import rank_for_case

    ranked, _refused = rank_for_case(case)
    order = [r.candidate.provider_id for r in ranked]
    matches = frozenset(r.candidate.provider_id for r in ranked if r.specialty_match)
    rows = {p.pk: p for p in Provider.objects.select_related("firm", "home_center")
            .prefetch_related("specialties", "languages").filter(pk__in=order)}
    return provider_profiles([rows[i] for i in order if i in rows], matches=matches)


# --- Public pages -------------------------------------------------------------------------------------------------



@dataclass(frozen=True)
class StationHit:
    station: Station
    distance_km: float | None


def stations_for(*, district: str = "", lat: float | None = None, lon: float | None = None,
                 limit: int = 10) -> list[StationHit]:
    """Stations of a district, or the nearest ones to a point (when the phone shares its location)."""
    qs = Station.objects.select_related("district", "center").filter(active=True)
    if district:
        qs = qs.filter(district__code=district)
    if lat is None or lon is None:
        return [StationHit(s, None) for s in qs]
    hits = [StationHit(s, round(haversine_km(lat, lon, float(s.latitude), float(s.longitude)), 1)) for s in qs]
    hits.sort(key=lambda h: (h.distance_km or 0.0, h.station.name))
    return hits[:limit]


def districts() -> QuerySet[District]:
    return District.objects.order_by("sort_order", "code")


def centers() -> QuerySet[Center]:
    return Center.objects.select_related("district").order_by("level", "district__sort_order", "name")


@dataclass(frozen=True)
class RulesInForce:
    on: dt.date
    matters: list[Matter]
    supplementary: list[Matter]
    grounds: list[CriminalGround]
    exemptions: list[ExemptionGroup]
    no_means_test: list[FactRule]
    aid_first: list[FactRule]
    green: list[GreenChannelRule]
    wages: list[MinimumWage]


def rules_in_force(on: dt.date) -> RulesInForce:
    matters = list(Matter.objects.in_force_on(on).order_by("sort_order", "code"))
    facts = list(FactRule.objects.in_force_on(on).order_by("code"))
    return RulesInForce(
        on=on,
        matters=[m for m in matters if not m.is_supplementary],
        supplementary=[m for m in matters if m.is_supplementary],
        grounds=list(CriminalGround.objects.in_force_on(on).filter(mandatory=True).order_by("code")),
        exemptions=list(ExemptionGroup.objects.in_force_on(on).order_by("code")),
        no_means_test=[f for f in facts if f.effect == "no_means_test"],
        aid_first=[f for f in facts if f.effect == "aid_first"],
        green=list(GreenChannelRule.objects.in_force_on(on).order_by("code")),
        wages=list(MinimumWage.objects.in_force_on(on).select_related("district")
                   .order_by("district__sort_order", "district__code")),
    )


def provider_directory(*, center: str = "", specialty: str = "") -> QuerySet[Provider]:
    """Active providers for the public directory (no personal phone numbers are shown there)."""
    qs = (Provider.objects.filter(active=True).select_related("firm", "home_center")
          .prefetch_related("specialties", "languages").order_by("home_center__level", "home_center__name", "name"))
    if (center_id := parse_id(center)) is not None:
        qs = qs.filter(home_center_id=center_id)
    if specialty:
        qs = qs.filter(specialties__code=specialty)
    return qs.distinct()
