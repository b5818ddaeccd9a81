"""``manage.py seed_demo``: a believable demo Zhenjiang, safe to run again and again.

Builds the districts (with 2020 population and the dated minimum wage), the city and district legal aid centers,
about 65 stations, center staff with qualifications, about 30 firms and 150 providers, one demo account per role
and about 2,000 synthetic people registered through the people service. Deterministic: the same data every time.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from fayuan.accounts.models import User
from fayuan.accounts.roles import Role
from fayuan.org.models import (
    Center,
    District,
    DistrictPopulation,
    Firm,
    MinimumWage,
    Provider,
    ProviderKind,
    QualificationKind,
    Staff,
    Station,
)
from fayuan.people.models import Person

from ...accounts import DEMO_PASSWORD, account_specs, build_accounts
from ...builders import build_org, build_staff, staff_specs
from ...data import REFERENCE_DATE
from ...persons import PersonResult, person_specs, register_persons
from ...providers import build_catalogues, build_firms, build_providers, provider_specs


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "生成镇江市法律援助演示数据（行政区、中心、工作站、法律援助人员、演示账户和人员）。"
        "可重复运行，仅限本机演示。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=2000, help="要登记的演示人员数（默认 2000）")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            # The demo accounts share a published password and include a superuser.
            raise CommandError(
                "演示数据含公开的演示口令（含超级管理员），禁止在生产环境（FAYUAN_ENV=production）中生成。"
            )
        total = options["persons"]
        if total < 0:
            raise CommandError("--persons 不能为负数。")
        started = time.monotonic()
        # Master data and accounts commit together: a failure leaves no half-built roster behind.
        with transaction.atomic():
            org = build_org()
            taken: set[str] = set()
            staff = build_staff(org.centers, staff_specs(taken))
            specialties, languages = build_catalogues()
            firms = build_firms(org.districts)
            providers = build_providers(org.centers, provider_specs(firms, staff, taken), specialties, languages)
            users = build_accounts(org, providers)
        self.stdout.write(f"主数据与演示账户就绪（{time.monotonic() - started:.1f} 秒），开始登记人员……")
        result = register_persons(person_specs(total), users, org.stations)
        self._summary(result, time.monotonic() - started)
        self._accounts(users)

    def _summary(self, result: PersonResult, elapsed: float) -> None:
        staff_count = Staff.objects.count()
        qualified = Staff.objects.filter(qualifications__kind=QualificationKind.LEGAL_PROFESSION).distinct().count()
        kinds = {label: Provider.objects.filter(kind=value).count() for value, label in ProviderKind.choices}
        wage = MinimumWage.objects.in_force_on(REFERENCE_DATE).values_list("monthly_amount", flat=True).first()
        lines = [
            f"行政区 {District.objects.count()} 个；人口记录 {DistrictPopulation.objects.count()} 条；"
            f"最低工资标准 {MinimumWage.objects.count()} 条（{REFERENCE_DATE} 适用 {wage} 元）",
            f"法律援助中心 {Center.objects.count()} 个；工作站/联络点 {Station.objects.count()} 个"
            f"（设值班律师 {Station.objects.filter(has_duty_lawyer=True).count()} 个）",
            f"中心工作人员 {staff_count} 人，具有法律职业资格 {qualified} 人"
            f"（{qualified * 100 // max(staff_count, 1)}%）",
            f"执业机构 {Firm.objects.count()} 家；法律援助人员 {sum(kinds.values())} 人（"
            + "，".join(f"{k} {v}" for k, v in kinds.items()) + "）",
            f"人员：本次新登记 {result.created} 人，已存在 {result.existing} 人"
            + (f"，证件号冲突跳过 {result.conflicts} 人" if result.conflicts else "")
            + f"；库中共 {Person.objects.count()} 人",
        ]
        if not result.applicant_linked:
            lines.append("注意：demo_applicant 未关联人员记录（人员数为 0，或该记录已被手工关联）。")
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，用时 {elapsed:.1f} 秒："))
        for line in lines:
            self.stdout.write(f"  {line}")

    def _accounts(self, users: dict[str, User]) -> None:
        rows = [("用户名", "角色", "口令", "所属")]
        for spec in account_specs():
            user = users[spec.username]
            where = user.station or user.center or (user.provider and user.provider.home_center) or ""
            rows.append((spec.username, Role(spec.role).label, DEMO_PASSWORD, str(where)))
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("演示账户（口令公开，仅限本机演示，切勿用于生产环境）："))
        for n, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
            if n == 0:
                self.stdout.write("  " + "-" * (sum(widths) + 6 + max(_width(r[3]) for r in rows)))
