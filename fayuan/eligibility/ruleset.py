"""Load the rule rows in force on a date into the engine's plain RuleSet (the only database access for rules)."""

from __future__ import annotations

import datetime as dt

from fayuan.core.errors import ValidationFailed
from fayuan.org.models import District, MinimumWage

from . import engine
from .models import CriminalGround, ExemptionGroup, FactRule, GreenChannelRule, Matter


def load_ruleset(*, district_code: str, on: dt.date) -> engine.RuleSet:
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise ValidationFailed(f"未知的行政区划代码“{district_code}”。", field="district_code")
    wage = MinimumWage.objects.in_force_on(on).filter(district=district).order_by("-effective_from").first()
    if wage is None:
        raise ValidationFailed(
            f"{district.name}在 {on:%Y-%m-%d} 没有现行的最低工资标准，无法进行经济困难审查。", field="application_date"
        )
    matters = tuple(engine.MatterRule(m.code, m.name, m.legal_basis) for m in Matter.objects.in_force_on(on))
    if not matters:
        raise ValidationFailed(f"{on:%Y-%m-%d} 没有现行的法律援助事项目录。", field="application_date")
    return engine.RuleSet(
        on=on,
        wage=engine.WageStandard(wage.monthly_amount, wage.effective_from, wage.legal_basis),
        matters=matters,
        grounds=tuple(engine.GroundRule(g.code, g.name, g.mandatory, g.legal_basis)
                      for g in CriminalGround.objects.in_force_on(on)),
        exemptions=tuple(engine.ExemptionRule(e.code, e.name, e.legal_basis, tuple(e.matters), tuple(e.requires_groups))
                         for e in ExemptionGroup.objects.in_force_on(on)),
        facts=tuple(engine.FactRuleData(f.code, f.name, f.effect, f.legal_basis)
                    for f in FactRule.objects.in_force_on(on)),
        green=tuple(engine.GreenRule(g.code, g.name, g.legal_basis, tuple(g.groups), tuple(g.facts), tuple(g.matters),
                                     g.min_age)
                    for g in GreenChannelRule.objects.in_force_on(on)),
    )
