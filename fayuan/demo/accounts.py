"""Demo sign-in accounts: one per role, plus a center reviewer for every center who registers that center's people.

All share one password, printed by ``seed_demo``. It is public by design, which is why the command refuses to run
in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Provider, ProviderKind

from .builders import CITY_KEY, Org
from .data import DEMO_CLERK_STATION, DEMO_POLICE_STATION, DISTRICTS, REFERENCE_DATE

DEMO_PASSWORD = "Fayuan-demo-2026"  # noqa: S105 -- published on purpose; local demo only (see docstring)
HOME = "jingkou"  # the demo's home district: the main reviewer, director, clerk and lawyers work there


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    display_name: str
    center_key: str | None = None
    station: str | None = None
    provider: str | None = None  # "provider" or "duty": which demo lawyer to link
    superuser: bool = False


def reviewer_username(center_key: str) -> str:
    return "demo_reviewer" if center_key == HOME else f"demo_reviewer_{center_key}"


def account_specs() -> list[AccountSpec]:
    specs = [
        AccountSpec("demo_applicant", Role.APPLICANT, "演示申请人"),
        AccountSpec("demo_clerk", Role.STATION_CLERK, "演示·象山街道司法所工作人员", station=DEMO_CLERK_STATION),
        AccountSpec("demo_reviewer", Role.CENTER_REVIEWER, "演示·京口区法律援助中心审查人员", center_key=HOME),
        AccountSpec("demo_director", Role.CENTER_DIRECTOR, "演示·京口区法律援助中心主任", center_key=HOME),
        AccountSpec("demo_provider", Role.PROVIDER, "演示·法律援助律师", provider="provider"),
        AccountSpec("demo_duty", Role.DUTY_LAWYER, "演示·值班律师", provider="duty"),
        AccountSpec("demo_police", Role.ORGAN_LIAISON, "演示·公安京口分局联络人", station=DEMO_POLICE_STATION),
        AccountSpec("demo_bureau", Role.BUREAU_SUPERVISOR, "演示·市司法局监管人员"),
        AccountSpec("demo_admin", Role.SYSTEM_ADMIN, "演示·系统管理员", superuser=True),
        AccountSpec("demo_auditor", Role.AUDITOR, "演示·审计员"),
        AccountSpec(reviewer_username(CITY_KEY), Role.CENTER_REVIEWER, "演示·镇江市法律援助中心审查人员",
                    center_key=CITY_KEY),
    ]
    specs += [AccountSpec(reviewer_username(d.slug), Role.CENTER_REVIEWER, f"演示·{d.name}法律援助中心审查人员",
                          center_key=d.slug) for d in DISTRICTS if d.slug != HOME]
    return specs


def _demo_lawyers(providers: list[Provider], org: Org) -> dict[str, Provider]:
    """Two lawyers of the home center: a duty lawyer with ≥3 years of criminal defense, and another for cases."""
    home = org.centers[HOME].pk
    lawyers = [p for p in providers if p.kind == ProviderKind.LAWYER and p.home_center_id == home]
    duty = next(p for p in lawyers if p.criminal_pool and p.years_of_criminal_defense(REFERENCE_DATE) >= 3)
    other = next(p for p in lawyers if p.pk != duty.pk)
    return {"duty": duty, "provider": other}


def build_accounts(org: Org, providers: list[Provider]) -> dict[str, User]:
    lawyers = _demo_lawyers(providers, org)
    users: dict[str, User] = {}
    for spec in account_specs():
        provider = lawyers[spec.provider] if spec.provider else None
        fields = {
            "role": spec.role,
            "display_name": f"{provider.name}（{spec.display_name.removeprefix('演示·')}）" if provider
            else spec.display_name,
            "center": org.centers[spec.center_key] if spec.center_key else None,
            "station": org.stations[spec.station] if spec.station else None,
            "provider": provider,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
            "is_active": True,
        }
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        for key, value in fields.items():
            setattr(user, key, value)
        # Re-set the password when it no longer matches, so the printed table is always true.
        if user.pk is None or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        users[spec.username] = user
    return users
