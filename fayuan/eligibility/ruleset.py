"""Load the rule rows in force on a date into the engine's plain RuleSet (the only database access for rules)."""

from __future__ import annotations

import datetime as dt

from fayuan.core.errors import ValidationFailed
from fayuan.core.rulecache import rule_cached
from fayuan.org.models import District, MinimumWage

from . import engine
from .models import (
    AgeRule,
    CriminalGround,
    ExemptionGroup,
    FactRule,
    GreenChannelRule,
    Matter,
    MeansStandard,
    OpenScopeGroup,
)


@rule_cached
def load_ruleset(*, district_code: str, on: dt.date) -> engine.RuleSet:
    """The rules in force on ``on`` for the district. A missing minimum wage is not an error here: the engine
    reports it in the means test, which is the only step that needs it (a mandatory criminal ground or an art. 32
    fact needs no means test)."""
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise ValidationFailed(f"未知的行政区划代码“{district_code}”。", field="district_code")
    wage = MinimumWage.objects.in_force_on(on).filter(district=district).order_by("-effective_from").first()
    standard = MeansStandard.objects.in_force_on(on).order_by("-effective_from").first()
    return engine.RuleSet(
        on=on,
        wage=None if wage is None else engine.WageStandard(wage.monthly_amount, wage.effective_from,
                                                            wage.legal_basis),
        matters=tuple(engine.MatterRule(m.code, m.name, m.legal_basis, m.basis_pending, m.specialty,
                                        m.effective_from)
                      for m in Matter.objects.in_force_on(on)),
        grounds=tuple(engine.GroundRule(g.code, g.name, g.mandatory, g.legal_basis, g.basis_pending,
                                        tuple(g.stages), tuple(g.applies_to_groups), g.requires_senior_defender,
                                        g.requires_minor_specialist, g.specialty, g.effective_from)
                      for g in CriminalGround.objects.in_force_on(on)),
        exemptions=tuple(engine.ExemptionRule(e.code, e.name, e.legal_basis, tuple(e.matters),
                                              tuple(e.requires_groups), e.basis_pending, e.effective_from)
                         for e in ExemptionGroup.objects.in_force_on(on)),
        facts=tuple(engine.FactRuleData(f.code, f.name, f.effect, f.legal_basis, f.basis_pending, f.effective_from)
                    for f in FactRule.objects.in_force_on(on)),
        green=tuple(engine.GreenRule(g.code, g.name, g.legal_basis, tuple(g.groups), tuple(g.facts),
                                     tuple(g.matters), g.min_age, g.waives_means_test, g.fast_track,
                                     g.basis_pending, g.effective_from)
                    for g in GreenChannelRule.objects.in_force_on(on)),
        ages=tuple(engine.AgeThreshold(a.code, a.name, a.age, a.legal_basis, a.basis_pending, a.effective_from)
                   for a in AgeRule.objects.in_force_on(on)),
        open_scope=tuple(engine.OpenScopeRule(o.code, o.name, tuple(o.groups), o.legal_basis, o.basis_pending,
                                              o.effective_from)
                         for o in OpenScopeGroup.objects.in_force_on(on)),
        means_standard=None if standard is None else engine.MeansStandardRule(
            standard.name, standard.legal_basis, standard.basis_pending, standard.effective_from),
    )


def grounds_in_force(*, on: dt.date, codes: list[str] | tuple[str, ...]) -> list[CriminalGround]:
    """The ground rows in force on ``on`` for the given codes (the grounds the engine found a case rests on)."""
    return list(CriminalGround.objects.in_force_on(on).filter(code__in=codes).order_by("code"))


def specialty_for(*, on: dt.date, case_type: str, matter: str, grounds: list[CriminalGround] | None = None) -> str:
    """The provider specialty that fits a case best, from the dated Matter or ground rows (no constant map)."""
    if case_type == "criminal":
        return next((g.specialty for g in grounds or [] if g.specialty), "")
    row = Matter.objects.in_force_on(on).filter(code=matter).order_by("-effective_from").first()
    return row.specialty if row is not None else ""
