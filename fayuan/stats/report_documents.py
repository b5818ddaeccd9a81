"""The statistical report as a workbook and as a PDF: the same rows, each with its definition (口径)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from fayuan.core.documents import html_to_pdf

from .reports import Report, flat_rows

TITLE = "法律援助统计报表"
HEADER = ("部分", "项目", "件数（人次）", "金额（元）", "口径")


def report_title(report: Report) -> str:
    return f"{report.scope.label}{report.period.label}{TITLE}"


def report_filename(report: Report, extension: str) -> str:
    """ASCII and free of names: the period and the scope's ids."""
    district = f"-d{report.scope.district_id}" if report.scope.district_id else ""
    centers = "-c" + "_".join(str(i) for i in report.scope.center_ids) if len(report.scope.center_ids) == 1 else ""
    return f"fayuan-report-{report.period.code}{centers}{district}.{extension}"


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "统计报表"
    sheet.append([report_title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"统计范围：{report.scope.label}；统计期间：{report.period.label}；"
                  f"生成时间：{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}"])
    sheet.append([f"归属规则：{report.attribution}"])
    sheet.append(list(HEADER))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for section, label, count, amount, definition in flat_rows(report):
        sheet.append([section, label, count, amount, definition])
        if amount is not None:
            sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0.00"
    for s in report.sections:
        if s.note:
            sheet.append([f"注：{s.title}　{s.note}"])
    for column, width in zip("ABCDE", (24, 34, 14, 16, 70), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5, max_col=5):
        row[4].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: Report) -> bytes:
    html = render_to_string("stats/report_pdf.html", {"report": report, "title": report_title(report)})
    return html_to_pdf(html, identifier=report_filename(report, "pdf").encode())
