"""Excel workbooks for the finance office: a payment batch (one row per subsidy and a total row, no tax withheld)
and the funding report. Amounts are written as numbers with two places, from the stored Decimals, and the batch's
total row is the stored batch total (the tests check it equals the rows' sum to the fen)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .models import PaymentBatch, Subsidy
from .selectors import FundingRow

MONEY_FORMAT = "#,##0.00"
TAX_NOTE = "免征增值税和个人所得税（《法律援助法》第五十二条第三款），未代扣税款"
BATCH_HEADER = ["序号", "案件受理编号", "承办人员", "执业机构", "服务类型", "结案日期", "基本补贴", "直接费用",
                "质量调整", "应付金额", "代扣税款", "实付金额", "税务说明"]


def _sheet(wb: Workbook, title: str) -> Worksheet:
    ws = wb.active
    assert ws is not None  # noqa: S101 -- a new workbook has one sheet
    ws.title = title
    return ws


def _row(ws: Worksheet, values: Iterable[Any], *, bold: bool = False) -> None:
    ws.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, float):
            cell.number_format = MONEY_FORMAT
        if bold:
            cell.font = Font(bold=True)


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def batch_xlsx(batch: PaymentBatch, subsidies: Iterable[Subsidy]) -> bytes:
    wb = Workbook()
    ws = _sheet(wb, "补贴支付清单")
    _row(ws, [f"{batch.center.name} 法律援助办案补贴支付清单 {batch.number}（{batch.month:%Y年%m月}）"], bold=True)
    _row(ws, BATCH_HEADER, bold=True)
    count = 0
    for n, s in enumerate(subsidies, start=1):
        count = n
        firm = s.provider.firm.name if s.provider.firm is not None else ""
        _row(ws, [n, s.case.number, s.provider.name, firm, s.get_service_display(), s.closed_on.isoformat(), s.base,
                  s.costs, s.adjustment, s.total, Decimal("0.00"), s.total, TAX_NOTE])
    _row(ws, ["合计", f"{count} 件", "", "", "", "", "", "", "", batch.total, Decimal("0.00"), batch.total, ""],
         bold=True)
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["M"].width = 48
    return _bytes(wb)


def funding_xlsx(year: int, rows: Iterable[FundingRow]) -> bytes:
    wb = Workbook()
    ws = _sheet(wb, "经费保障")
    _row(ws, [f"{year}年法律援助经费保障情况（2018年工作要点第十六点）"], bold=True)
    _row(ws, ["中心", "年度预算", "已支付补贴", "预算结余", f"{year}年结案件数", "受援人数",
              f"{year - 1}年已支付补贴", f"{year - 1}年结案件数", "支出同比", "案件同比"], bold=True)
    for r in rows:
        _row(ws, [r.center_name, r.budget, r.spent, r.remaining, r.cases, r.persons, r.last_spent, r.last_cases,
                  None if r.spent_change is None else round(r.spent_change, 4),
                  None if r.cases_change is None else round(r.cases_change, 4)], bold=r.center_id is None)
    ws.column_dimensions["A"].width = 28
    return _bytes(wb)
