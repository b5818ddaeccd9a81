"""How close the greedy suggestions come to the best possible: for k = 1..N new points, the people the greedy picks
bring within reach against the exact optimum (branch and bound), for the city or one district."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fayuan.org.models import District
from fayuan.places import selectors


class Command(BaseCommand):
    help = "比较贪心法建议的新增站点与最优方案覆盖的人口（k = 1..N）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-k", type=int, default=5, help="最多新增几个站点（默认 5）")
        parser.add_argument("--district", default="", help="行政区代码（默认全市）")

    def handle(self, *args: Any, **options: Any) -> None:
        max_k = options["max_k"]
        if not 1 <= max_k <= 10:
            raise CommandError("--max-k 应在 1 到 10 之间。")
        district_id = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"没有代码为 {options['district']} 的行政区。")
            district_id = district.pk
        summary = selectors.reach_summary(on=timezone.localdate(), scope=selectors.Scope(None),
                                          district_id=district_id)
        t = summary.total
        self.stdout.write(f"{summary.scope_name}：{t.places} 个村（社区），人口 {t.population}，"
                          f"服务圈内 {t.within_population}（{(t.share or 0):.1%}），圈外 {t.out_places} 个。")
        for c in selectors.compare_cover(summary, list(range(1, max_k + 1))):
            ratio = f"{c.ratio:.1%}" if c.ratio is not None else "—"
            proof = "" if c.proven else "（搜索达上限，最优值未证明）"
            self.stdout.write(f"k={c.k}：贪心 {c.greedy} 人，最优 {c.optimum} 人，贪心/最优 {ratio}{proof}")
        for p in selectors.suggest_points(summary, max_k):
            self.stdout.write(f"  建议 {p.site.name}（{summary.district_names.get(p.site.district_id, '')}）："
                              f"新增覆盖 {p.people} 人、{len(p.newly)} 个村（社区）")
