"""The dashboard's figures as tables: one sheet per figure, the same numbers the page shows, with the definition
in the sheet's first row so an exported figure still says what it counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .dashboard import Dashboard

DEFINITIONS = {
    "aid_rate": "受援人次：当年开始提供法律援助的案件数（决定给予、先行提供，以及办案机关通知辩护/代理），一案计一人；"
                "每万人受援率＝受援人次÷常住人口×10000；预计全年＝截至统计日的受援人次按已过天数推算至12月31日。",
    "monthly": "各月开始提供法律援助的案件数（今年与上年同期）。",
    "types": "按案件类型的受援人次；刑事案件分办案机关通知与申请。",
    "groups": "受援人次按申请人所属人群（一人可属多个人群；妇女按申请人性别）。",
    "deadlines": "当年已完成的法定期限：按期完成与逾期完成的件数（期限规则见期限管理）。",
    "staff": "在岗中心工作人员中持有有效法律职业资格的人数及比例；"
             "持法律援助工作证或公职律师证的人员中当年承办（受指派）案件达到目标件数的人数。",
    "typical": "各区（县级市）中心各月报送的典型案例件数（已报送、已采用）。",
    "quality": "按结案月份：当年审查结案的案件中完成结案评估的件数与等级、应回访与已回访件数"
               "及满意率（满意＋基本满意÷已答复），受援人网上评价的平均分；当年结案案件的补贴已发放件数、在结案日现行发放期限内发放的比例和结案到发放的平均天数。",
}
FIGURES = tuple(DEFINITIONS)


def _pct(value: Any) -> Any:
    return "" if value is None else float(value)


def figure_rows(board: Dashboard, figure: str) -> Iterable[Sequence[Any]]:
    yield [DEFINITIONS[figure]]
    if figure == "aid_rate":
        yield ["行政区", "常住人口", "受援人次（年初至今）", "每万人受援率", "预计全年受援人次", "预计全年每万人受援率",
               "目标"]
        for r in [*board.aid_rates, board.aid_total]:
            yield [r.name, r.population or "", r.aided, _pct(r.rate), r.projected, _pct(r.projected_rate),
                   _pct(r.target)]
    elif figure == "monthly":
        yield ["月份", *[str(y) for y in board.monthly]]
        for m in range(12):
            yield [f"{m + 1}月", *[board.monthly[y][m] for y in board.monthly]]
    elif figure == "types":
        yield ["案件类型", "受援人次"]
        yield from ([label, n] for _code, label, n in board.by_type)
        yield ["其中：刑事（办案机关通知）", board.criminal_origin["notice"]]
        yield ["其中：刑事（申请）", board.criminal_origin["application"]]
        yield ["绿色通道", board.green_channel]
        yield ["先行提供法律援助", board.aid_first]
    elif figure == "groups":
        yield ["人群", "受援人次"]
        yield from ([label, n] for _code, label, n in board.groups)
    elif figure == "deadlines":
        yield ["期限", "按期完成", "逾期完成", "按期率（%）"]
        for d in [*board.deadlines, board.deadline_total]:
            yield [d.label, d.on_time, d.late, _pct(d.percent)]
        yield ["目前已逾期未完成", board.overdue_open]
    elif figure == "staff":
        yield ["中心", "在岗人员", "具有法律职业资格", "比例（%）", "持工作证/公职律师证", "其中当年办案达标"]
        for s in board.staff:
            yield [s.center.name, s.staff, s.qualified, _pct(s.percent), s.certified, s.certified_active]
    elif figure == "quality":
        yield ["中心", "结案", "已评估", "评估覆盖（%）", "优秀", "良好", "合格", "不合格", "应回访", "已回访",
               "满意率（%）", "网上评价平均分", "补贴已发放", "按期发放率（%）", "平均天数", "发放金额（元）"]
        for name, f in [*((r.center_name, r.figures) for r in board.quality_rows), ("合计", board.quality)]:
            yield [name, f.closed, f.evaluated, _pct(f.coverage), f.grades.get("excellent", 0), f.grades.get("good", 0),
                   f.grades.get("pass", 0), f.grades.get("fail", 0), f.followups_due, f.followups_done,
                   _pct(f.satisfaction_rate), _pct(f.ratings_mean), f.subsidies_paid, _pct(f.on_time_rate),
                   _pct(f.mean_days), f.subsidy_amount]
    elif figure == "typical":
        yield ["中心", *[f"{m}月" for m in range(1, 13)]]
        for row in board.typical:
            yield [row.center.name, *[c.submitted for c in row.cells]]


def sheets(board: Dashboard, figure: str | None) -> list[tuple[str, Iterable[Sequence[Any]]]]:
    titles = {"aid_rate": "受援率", "monthly": "月度受援", "types": "案件类型", "groups": "受援人群",
              "deadlines": "法定期限", "staff": "人员资格", "typical": "典型案例", "quality": "质量与补贴"}
    chosen = [figure] if figure else list(FIGURES)
    return [(titles[f], list(figure_rows(board, f))) for f in chosen]
