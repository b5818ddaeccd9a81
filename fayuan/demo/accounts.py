"""Demo sign-in accounts: one per role, plus a center reviewer for every center who registers that center's people.

All share one password, printed by ``seed_demo``. It is public by design, which is why the command refuses to run
in production.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import Provider, ProviderKind, Station

from .builders import CITY_KEY, Org, organ_name
from .data import DEMO_CLERK_STATION, DEMO_COURT_STATION, DEMO_POLICE_STATION, DISTRICTS, REFERENCE_DATE

DEMO_PASSWORD = "Fayuan-demo-2026"  # noqa: S105 -- published on purpose; local demo only (see docstring)
# Every demo staff account signs in with a second factor (two-factor sign-in is on for every office role) from one
# shared authenticator secret (base32, 20 bytes), so that a visitor can add it once to any TOTP app and try every
# role. Published with the password, for the same reason and under the same production refusal.
DEMO_TOTP_SECRET = "FAYUANDEMOTOTPSECRETZHENJIANG234"  # noqa: S105
HOME = "jingkou"  # the demo's home district: the main reviewer, director, clerk and lawyers work there


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    display_name: str
    center_key: str | None = None
    station: str | None = None
    organ: str | None = None  # an organ liaison's organ, by name
    provider: str | None = None  # "provider" or "duty": which demo lawyer to link
    staff: bool = False  # the admin's door: the system administrator only (its powers come from the role)
    district_key: str | None = None  # a district bureau's district (objections to its center, art. 49)


def reviewer_username(center_key: str) -> str:
    return "demo_reviewer" if center_key == HOME else f"demo_reviewer_{center_key}"


def director_username(center_key: str) -> str:
    return "demo_director" if center_key == HOME else f"demo_director_{center_key}"


def bureau_username(center_key: str) -> str:
    """The bureau that set up a center: the city bureau for the city center, else the district's bureau."""
    return "demo_bureau" if center_key == CITY_KEY else f"demo_bureau_{center_key}"


def account_specs() -> list[AccountSpec]:
    specs = [
        AccountSpec("demo_applicant", Role.APPLICANT, "演示申请人"),
        AccountSpec("demo_clerk", Role.STATION_CLERK, "演示·象山街道司法所工作人员", station=DEMO_CLERK_STATION),
        AccountSpec("demo_reviewer", Role.CENTER_REVIEWER, "演示·京口区法律援助中心审查人员", center_key=HOME),
        AccountSpec("demo_director", Role.CENTER_DIRECTOR, "演示·京口区法律援助中心主任", center_key=HOME),
        AccountSpec("demo_provider", Role.PROVIDER, "演示·法律援助律师", provider="provider"),
        AccountSpec("demo_duty", Role.DUTY_LAWYER, "演示·值班律师", provider="duty"),
        AccountSpec("demo_police", Role.ORGAN_LIAISON, "演示·公安京口分局联络人",
                    organ=organ_name(DEMO_POLICE_STATION)),
        AccountSpec("demo_court", Role.ORGAN_LIAISON, "演示·京口区人民法院联络人",
                    organ=organ_name(DEMO_COURT_STATION)),
        AccountSpec("demo_bureau", Role.BUREAU_SUPERVISOR, "演示·市司法局监管人员"),
        # 三员分立: master data and account records; no superuser, no role grants, no case or personal data.
        AccountSpec("demo_admin", Role.SYSTEM_ADMIN, "演示·系统管理员", staff=True),
        AccountSpec("demo_secadmin", Role.SECURITY_ADMIN, "演示·安全管理员"),
        AccountSpec("demo_auditor", Role.AUDITOR, "演示·审计员"),
        AccountSpec(reviewer_username(CITY_KEY), Role.CENTER_REVIEWER, "演示·镇江市法律援助中心审查人员",
                    center_key=CITY_KEY),
    ]
    specs += [AccountSpec(reviewer_username(d.slug), Role.CENTER_REVIEWER, f"演示·{d.name}法律援助中心审查人员",
                          center_key=d.slug) for d in DISTRICTS if d.slug != HOME]
    # Every center's director approves its subsidies (issue 14): the home center's is demo_director above.
    specs.append(AccountSpec(director_username(CITY_KEY), Role.CENTER_DIRECTOR, "演示·镇江市法律援助中心主任",
                             center_key=CITY_KEY))
    specs += [AccountSpec(director_username(d.slug), Role.CENTER_DIRECTOR, f"演示·{d.name}法律援助中心主任",
                          center_key=d.slug) for d in DISTRICTS if d.slug != HOME]
    specs += [AccountSpec(bureau_username(d.slug), Role.BUREAU_SUPERVISOR, f"演示·{d.name}司法局监管人员",
                          district_key=d.slug) for d in DISTRICTS]
    return specs


def _demo_lawyers(providers: list[Provider], org: Org, pool: set[int] | None = None) -> dict[str, Provider]:
    """Two lawyers of the home center: a duty lawyer of the criminal-defense pool (``pool``: the ids the roster
    marks for it, admitted later) with ≥3 years of criminal defense, and another for cases."""
    home = org.centers[HOME].pk
    lawyers = [p for p in providers if p.kind == ProviderKind.LAWYER and p.home_center_id == home]
    duty = next(p for p in lawyers if (p.pk in pool if pool is not None else p.criminal_pool)
                and p.years_of_criminal_defense(REFERENCE_DATE) >= 3)
    other = next(p for p in lawyers if p.pk != duty.pk)
    return {"duty": duty, "provider": other}


def build_accounts(org: Org, providers: list[Provider], pool: set[int] | None = None) -> dict[str, User]:
    lawyers = _demo_lawyers(providers, org, pool)
    users: dict[str, User] = {}
    # One hash for every demo account (see the working accounts below): hashing, or on a rerun checking, the 34
    # passwords one by one with Argon2 took 11 of the base stage's 14 seconds, which make run waits for.
    password_hash = make_password(DEMO_PASSWORD, salt=_DEMO_SALT)
    for spec in account_specs():
        provider = lawyers[spec.provider] if spec.provider else None
        fields = {
            "role": spec.role,
            "display_name": f"{provider.name}（{spec.display_name.removeprefix('演示·')}）" if provider
            else spec.display_name,
            "center": org.centers[spec.center_key] if spec.center_key else None,
            "station": org.stations[spec.station] if spec.station else None,
            "organ": org.organs[spec.organ] if spec.organ else None,
            "provider": provider,
            "district": org.districts[spec.district_key] if spec.district_key else None,
            "is_staff": spec.staff,
            "is_superuser": False,
            "is_active": True,
        }
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        for key, value in fields.items():
            setattr(user, key, value)
        # Re-set the password when it was changed, so the printed table is always true.
        user.password = password_hash
        user.save()
        users[spec.username] = user
    return users


# --- Working accounts for the demo history ------------------------------------------------------------------------
# The case history is replayed through the services, which act only as a signed-in user of the right role: every
# provider needs an account to accept, sign and report, and every station a clerk to receive and forward. They share
# the demo password through one hash with a fixed salt: hashing (and, on every rerun, checking) 200 passwords one by
# one takes over a minute with Argon2, while a fixed hash is compared as a string. A fixed salt costs nothing here:
# the password itself is published.

_DEMO_SALT = "FayuanDemoAccounts20181"  # letters and digits, as long as the salts Django makes itself


def lawyer_username(provider: Provider) -> str:
    return f"demo_lawyer_{provider.pk}"


def clerk_username(station: Station) -> str:
    return f"demo_clerk_{station.pk}"


@dataclass
class WorkAccounts:
    by_provider: dict[int, User]  # provider pk -> the account that acts for them (demo_provider, demo_duty, ...)
    by_station: dict[int, User]  # station pk -> a station clerk
    created: int = 0


def _ensure(username: str, fields: dict[str, object], password_hash: str) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, password=password_hash)
    changed = created
    for key, value in fields.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    if user.password != password_hash:  # the published demo password, whatever it was changed to
        user.password = password_hash
        changed = True
    if changed:
        user.save()
    return user, created


def build_work_accounts(org: Org, users: dict[str, User]) -> WorkAccounts:
    """An account of role "provider" for every provider without one, and a clerk for every station without one."""
    password_hash = make_password(DEMO_PASSWORD, salt=_DEMO_SALT)
    result = WorkAccounts({}, {})
    linked = {u.provider_id: u for u in User.objects.filter(provider__isnull=False)}
    for provider in Provider.objects.filter(active=True).order_by("pk"):
        user = linked.get(provider.pk)
        if user is None or user.username == lawyer_username(provider):
            user, created = _ensure(lawyer_username(provider), {
                "role": Role.PROVIDER, "provider": provider, "display_name": f"{provider.name}（法律援助人员）",
                "is_active": True,
            }, password_hash)
            result.created += created
        result.by_provider[provider.pk] = user
    home_station = org.stations[DEMO_CLERK_STATION]
    for station in sorted(org.stations.values(), key=lambda s: s.pk):
        if station.pk == home_station.pk:
            result.by_station[station.pk] = users["demo_clerk"]
            continue
        user, created = _ensure(clerk_username(station), {
            "role": Role.STATION_CLERK, "station": station, "display_name": f"演示·{station.name}"[:60],
            "is_active": True,
        }, password_hash)
        result.created += created
        result.by_station[station.pk] = user
    return result


def build_second_factors(users: list[User]) -> int:
    """A confirmed authenticator with the shared ``DEMO_TOTP_SECRET`` for every staff account among ``users``
    (applicants sign in by SMS and need none). Idempotent: an account whose device already holds the secret is left
    alone; any other device of a demo account (a reset, a private enrolment) is replaced. Returns how many were
    made."""
    from django_otp.plugins.otp_static.models import StaticDevice

    from fayuan.accounts.models import Authenticator

    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    staff = list({u.pk: u for u in users if u.role != Role.APPLICANT}.values())  # an account may come twice
    ids = [u.pk for u in staff]
    # The secret is encrypted (a fresh token each time): compare it decrypted, a few hundred accounts at most.
    ready = {d.user_id for d in Authenticator.objects.filter(user_id__in=ids, confirmed=True) if d.key == key}
    missing = [u for u in staff if u.pk not in ready]
    Authenticator.objects.filter(user__in=missing).delete()
    StaticDevice.objects.filter(user__in=missing).delete()
    Authenticator.objects.bulk_create([Authenticator(user=u, name="演示身份验证器", key=key, confirmed=True)
                                       for u in missing])
    return len(missing)
