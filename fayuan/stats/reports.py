"""The statistical report (法律援助统计报表), monthly or annual, for the city, a district or one center.

Every figure is a sum of rollup cells (``Tally``) read in one aggregate query, so the report costs the same whatever
the number of cases; each row states its definition (口径), and ``manage.py stats_rebuild`` recomputes the cells from
the raw records (the tests hold the report equal to counts of those records, before and after a rebuild).

Scope: a center sees its own center; the city bureau the whole city or one district; a district bureau its
district's center. A district is the one a figure is attributed to (``attribution.RULE_TEXT``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.accounts.roles import CENTER_ROLES, Role
from fayuan.cases.models.case import Channel, CriminalStage
from fayuan.consultations.models import ConsultationChannel
from fayuan.core.errors import NotFoundOrForbidden, ValidationFailed
from fayuan.duty.models import HelpKind
from fayuan.eligibility.engine import GROUP_NAMES
from fayuan.eligibility.models import CaseType
from fayuan.org.models import Center, District
from fayuan.org.selectors import centers_in_scope

from . import measures as m
from . import report_sums, services
from .attribution import RULE_TEXT
from .measures_consultations import CONSULTATIONS
from .measures_duty import DUTY_HELP, PLEA
from .models import Tally

EARLIEST_YEAR = 2000  # no record of the system is older; a typo like 0202 is refused rather than read as empty
PERIOD_FORMAT = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?", re.ASCII)
PERIOD_MESSAGE = "统计期间格式不正确：请填写年份（如 2026）或年月（如 2026-11），且不早于 {0} 年、不晚于本月。"
ZERO = Decimal("0.00")
FEN = Decimal("0.01")
REPORT_MEASURES = (m.APPLICATIONS, m.AIDED, m.AIDED_GROUP, m.REFUSED, m.CLOSED, CONSULTATIONS, DUTY_HELP)
# The groups the issue names first, in its order; then the engine's other groups.
LEADING_GROUPS = ("minor", "elderly", "disabled", m.WOMEN, "migrant_worker", "military_family")
GROUP_LABELS = {**GROUP_NAMES, m.WOMEN: "妇女"}


@dataclass(frozen=True)
class Period:
    """A calendar month or year in Beijing time: the months ``first`` (included) to ``following`` (excluded)."""

    first: dt.date
    following: dt.date
    annual: bool

    @property
    def code(self) -> str:
        return f"{self.first:%Y}" if self.annual else f"{self.first:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.first.year}年" if self.annual else f"{self.first.year}年{self.first.month}月"


def parse_period(raw: str | None, *, today: dt.date | None = None) -> Period:
    """``YYYY`` or ``YYYY-MM`` in ASCII digits, from EARLIEST_YEAR to the current month; else a Chinese error."""
    today = today or timezone.localdate()
    match = PERIOD_FORMAT.fullmatch((raw or "").strip())
    error = ValidationFailed(PERIOD_MESSAGE.format(EARLIEST_YEAR), field="period")
    if match is None:
        raise error
    year, month = int(match.group(1)), int(match.group(2) or 0)
    if not EARLIEST_YEAR <= year <= today.year or (match.group(2) is not None and not 1 <= month <= 12):
        raise error
    if match.group(2) is None:
        return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), annual=True)
    first = dt.date(year, month, 1)
    if first > today.replace(day=1):
        raise error
    return Period(first, (first + dt.timedelta(days=32)).replace(day=1), annual=False)


@dataclass(frozen=True)
class Scope:
    label: str
    center_ids: tuple[int, ...]
    district: District | None  # the district figures are attributed to, or None for all of the centers' figures

    @property
    def district_id(self) -> int | None:
        return self.district.pk if self.district is not None else None


def report_scope(user: User, district_id: int | None = None) -> Scope:
    """The centers and district the user may report on. A district outside them is a 404, like any record.
    Centers are read as ids: a country's bureau has 3,000 of them and the report needs no more."""
    center_ids: tuple[int, ...]
    if user.role in CENTER_ROLES:
        center = user.center
        if center is None:
            raise NotFoundOrForbidden()
        # A district center owns its district; the city center may narrow its own figures to any district.
        own = center.district_id
        if district_id is not None and own is not None and district_id != own:
            raise NotFoundOrForbidden()
        label, center_ids = center.name, (center.pk,)
    elif user.role == Role.BUREAU_SUPERVISOR:
        center_ids = tuple(centers_in_scope(user).order_by("level", "name").values_list("pk", flat=True))
        if not center_ids:
            raise NotFoundOrForbidden()
        if user.district_id is not None:
            if district_id is not None and district_id != user.district_id:
                raise NotFoundOrForbidden()
            district_id, label = user.district_id, ""
        else:
            label = "全市"
    else:
        raise NotFoundOrForbidden()
    district = None
    if district_id is not None:
        district = District.objects.filter(pk=district_id).first()
        if district is None:
            raise NotFoundOrForbidden()
        label = f"{label}（{district.name}）" if label and label != "全市" else district.name
    return Scope(label, center_ids, district)


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    definition: str
    level: int = 0  # 0 a total, 1 a part of it, 2 a part of a part
    amount: Decimal | None = None


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]
    note: str = ""


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    sections: list[Section]
    generated_at: dt.datetime
    attribution: str = RULE_TEXT
    cells: dict[tuple[str, str], tuple[int, Decimal]] = field(default_factory=dict, repr=False)
    summed_at: dt.datetime | None = None  # when stored sums were summed (``report_sums``); None: summed for this

    def row(self, section: str, label: str) -> Row:
        """A row by its section and label (the tests and the exports read the report this way)."""
        for s in self.sections:
            if s.title == section:
                for r in s.rows:
                    if r.label == label:
                        return r
        raise KeyError((section, label))


def tally_sums(scope: Scope, period: Period) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """(measure, key) -> (count, amount) over the scope and period: the report's one query."""
    qs = Tally.objects.filter(measure__in=REPORT_MEASURES, month__gte=period.first, month__lt=period.following,
                              center_id__in=scope.center_ids)
    if scope.district is not None:
        qs = qs.filter(district_id=scope.district.pk)
    rows = qs.values("measure", "key").annotate(n=Sum("count"), money=Sum("amount")).order_by()
    return {(r["measure"], r["key"]): (int(r["n"] or 0), Decimal(r["money"] or ZERO).quantize(FEN)) for r in rows}


def _any(key: str) -> bool:
    return True


def _is(value: str) -> Callable[[str], bool]:
    return lambda key: key == value


def _kind_is(value: str) -> Callable[[str], bool]:
    return lambda key: key.split("|")[0] == value


class _Cells:
    def __init__(self, sums: dict[tuple[str, str], tuple[int, Decimal]]) -> None:
        self.sums = sums

    def count(self, measure: str, match: Callable[[str], bool] = _any) -> int:
        return sum(n for (ms, key), (n, _) in self.sums.items() if ms == measure and match(key))

    def amount(self, measure: str, match: Callable[[str], bool] = _any) -> Decimal:
        return sum((a for (ms, key), (_, a) in self.sums.items() if ms == measure and match(key)), ZERO)


def _aided_part(key: str, part: int) -> str:
    parts = key.split("|")
    return parts[part] if len(parts) == 3 else ""


AIDED_DEF = "本期开始提供援助的案件（决定给予援助、先行提供援助或办案机关通知之日计），一案计一人次"


def _cases_section(c: _Cells) -> Section:
    def aided(case_type: str | None = None, stage: str | None = None, origin: str | None = None) -> int:
        return c.count(m.AIDED, lambda k: (case_type is None or _aided_part(k, 0) == case_type)
                       and (stage is None or _aided_part(k, 1) == stage)
                       and (origin is None or _aided_part(k, 2) == origin))

    rows = [Row("法律援助案件合计", aided(), AIDED_DEF)]
    rows.append(Row("刑事法律援助", aided(CaseType.CRIMINAL), f"{AIDED_DEF}；刑事案件", 1))
    for stage in CriminalStage:
        rows.append(Row(f"其中：{stage.label}", aided(CaseType.CRIMINAL, stage.value),
                        f"刑事案件中援助开始时处于{stage.label}的", 2))
    no_stage = aided(CaseType.CRIMINAL) - sum(aided(CaseType.CRIMINAL, s.value) for s in CriminalStage)
    if no_stage:
        rows.append(Row("其中：未填诉讼阶段", no_stage, "刑事案件中未登记诉讼阶段的", 2))
    rows.append(Row("其中：办案机关通知辩护（代理）", aided(CaseType.CRIMINAL, origin=m.NOTICE),
                    "刑事案件中由公安机关、人民检察院、人民法院通知指派的", 2))
    rows.append(Row("其中：依申请", aided(CaseType.CRIMINAL, origin=m.APPLICATION),
                    "刑事案件中经当事人申请决定给予援助的", 2))
    for case_type in (CaseType.CIVIL, CaseType.ADMINISTRATIVE, CaseType.STATE_COMPENSATION, CaseType.NON_LITIGATION):
        rows.append(Row(f"{case_type.label}法律援助", aided(case_type.value), f"{AIDED_DEF}；{case_type.label}事项", 1))
    return Section("一、法律援助案件（受援人次）", rows)


def _applications_section(c: _Cells) -> Section:
    rows = [Row("收到申请和通知合计", c.count(m.APPLICATIONS), "本期收到的法律援助申请和办案机关通知（收到之日计）")]
    rows += [Row(f"其中：{ch.label}", c.count(m.APPLICATIONS, _is(ch.value)),
                 f"经{ch.label}收到的", 1) for ch in Channel]
    rows.append(Row("决定不予援助", c.count(m.REFUSED), "本期作出不予法律援助决定的件数（决定之日计）"))
    rows.append(Row("结案", c.count(m.CLOSED), "本期法律援助机构审查通过结案材料的件数（审查通过之日计）",
                    amount=c.amount(m.CLOSED)))
    rows += [Row(f"其中：{t.label}", c.count(m.CLOSED, _is(t.value)), f"{t.label}案件结案",
                 1, amount=c.amount(m.CLOSED, _is(t.value))) for t in CaseType]
    return Section("二、申请、决定与结案", rows,
                   "金额列为结案材料载明的为受援人挽回（取得）的经济损失，单位元，精确到分。")


def _consultations_section(c: _Cells) -> Section:
    rows = [Row("法律咨询合计", c.count(CONSULTATIONS), "本期登记的法律咨询，按人次计（咨询发生之日计）")]
    rows += [Row(f"其中：{ch.label}", c.count(CONSULTATIONS, _is(ch.value)), f"经{ch.label}的咨询", 1)
             for ch in ConsultationChannel]
    return Section("三、法律咨询", rows)


def _duty_section(c: _Cells) -> Section:
    rows = [Row("值班律师法律帮助合计", c.count(DUTY_HELP), "值班律师在值班日提供法律帮助的登记次数（值班日期计）")]
    rows += [Row(f"其中：{kind.label}", c.count(DUTY_HELP, _kind_is(kind.value)),
                 f"帮助类型为“{kind.label}”的", 1) for kind in HelpKind]
    rows.append(Row("认罪认罚案件法律帮助", c.count(DUTY_HELP, lambda k: k.endswith(f"|{PLEA}")),
                    "犯罪嫌疑人签署认罪认罚具结书时值班律师在场的次数（刑事诉讼法第一百七十四条）"))
    return Section("四、值班律师法律帮助", rows)


def _groups_section(c: _Cells) -> Section:
    codes = [*LEADING_GROUPS, *(g for g in GROUP_NAMES if g not in LEADING_GROUPS)]
    rows = [Row(GROUP_LABELS[g], c.count(m.AIDED_GROUP, _is(g)),
                "受援人为女性的" if g == m.WOMEN else f"受援人属于“{GROUP_LABELS[g]}”（审查时认定）的", 1)
            for g in codes]
    return Section("五、受援人群", rows,
                   "口径同第一部分（本期开始提供援助的案件，一案一人次）；一人可属于多个人群，各行不相加。")


def build_report(scope: Scope, period: Period, *, stored: bool = False) -> Report:
    """The report summed now; with ``stored``, a big scope's sums of a few minutes ago (the page, not a document)."""
    key = report_sums.sums_key(scope) if stored else None
    summed_at = None
    if key is None:
        cells = tally_sums(scope, period)
    else:
        cells, summed_at = (report_sums.stored(key, period, now=timezone.now())
                            or services.report_sums_store(scope=scope, period=period))
    c = _Cells(cells)
    sections = [_cases_section(c), _applications_section(c), _consultations_section(c), _duty_section(c),
                _groups_section(c)]
    return Report(period, scope, sections, timezone.now(), cells=cells, summed_at=summed_at)


def report_for(user: User, *, period: str | None, district_id: int | None) -> Report:
    """The report page's report: the scope first (out of it is a 404 whatever the period), then the period (a bad
    one is a Chinese message, and nothing is read from the rollups). A country's bureau reads stored sums."""
    scope = report_scope(user, district_id)
    return build_report(scope, parse_period(period), stored=True)


def whole_scope() -> Scope:
    """Every center's figures: the city bureau's report scope, which the job keeps summed when it is big."""
    return Scope("全市", tuple(Center.objects.order_by("level", "name").values_list("pk", flat=True)), None)


def scope_choices(user: User) -> list[tuple[int, str]]:
    """The districts the city bureau may pick, as (id, name) (others get a fixed scope)."""
    if user.role == Role.BUREAU_SUPERVISOR and user.district_id is None:
        return list(District.objects.values_list("pk", "name"))
    return []


def flat_rows(report: Report) -> list[tuple[str, str, int, Decimal | None, str]]:
    """Section, item, count, amount, definition: the table every export writes."""
    return [(s.title, r.label, r.count, r.amount, r.definition) for s in report.sections for r in s.rows]

