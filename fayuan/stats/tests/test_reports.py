"""The statistical report: every cell equals the count recomputed here from the raw rows (cases, case events,
closing files, consultations, help records), before and after ``tally_rebuild``; the workbook and the PDF carry the
same figures; the scope is the user's; a bad period is a Chinese message and nothing else; the page's queries do not
grow with the records."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases import services as case_services
from fayuan.cases.models import Case, CaseEvent, ClosingFile
from fayuan.cases.tests.conftest import granted, receive
from fayuan.conftest import valid_id
from fayuan.consultations.models import Consultation
from fayuan.consultations.services import consultation_record
from fayuan.core import events
from fayuan.criminal.tests.support import send_notice
from fayuan.duty import services as duty_services
from fayuan.duty.models import Duty, HelpRecord
from fayuan.duty.tests.support import published_next
from fayuan.people.services import person_register
from fayuan.stats import measures, reports, services
from fayuan.stats.measures_consultations import CONSULTATIONS
from fayuan.stats.measures_duty import DUTY_HELP
from fayuan.stats.models import Tally
from fayuan.stats.report_documents import report_pdf, report_xlsx

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
NOVEMBER = dt.date(2026, 11, 1)
DECEMBER = dt.date(2026, 12, 1)
URL = "/office/stats/reports/"
EXPORT = "/office/stats/reports/export/"
AIDED = "一、法律援助案件（受援人次）"
APPS = "二、申请、决定与结案"
CONSULT = "三、法律咨询"
DUTY = "四、值班律师法律帮助"
GROUPS = "五、受援人群"


def _closed(city: Any, *, recovered: str, **overrides: Any) -> Case:
    """A case of center A handled by provider_a to an accepted closing with money recovered."""
    actor, lawyer = city.user("reviewer_a"), city.user("provider_a")
    case = granted(city, **overrides)
    pid = case.public_id
    case_services.case_assign(actor=actor, public_id=pid, provider_id=lawyer.provider_id, reason="测试指定承办人员")
    case_services.assignment_accept(actor=lawyer, public_id=pid)
    case_services.agreement_record(actor=lawyer, public_id=pid, signed_on=timezone.localdate())
    case_services.closing_submit(actor=lawyer, public_id=pid, outcome="mediated", money_recovered=recovered,
                                 report="经调解，对方支付工资12000元。")
    case_services.closing_review(actor=actor, public_id=pid, accept=True)
    return case


@pytest.fixture
def world(city, providers):
    """November 2026: in center A a wage case closed with money recovered, a woman's case granted, a criminal case
    on application, a notice from the court, a refusal, three consultations and two duty helps (one at a plea);
    in center B a granted case and a consultation. One more consultation in October, outside the month."""
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        consultation_record(actor=city.user("reviewer_a"), channel="phone", question="工资", advice="可申请援助")
        users = published_next(city, NOVEMBER)
    with time_machine.travel("2026-11-10 10:00 +0800", tick=False):
        _closed(city, recovered="12000.55")
        woman = person_register(actor=city.user("reviewer_a"), name="孙女士", id_number=valid_id(22))
        granted(city, applicant_id=woman.public_id)
        criminal = person_register(actor=city.user("reviewer_a"), name="被告人31", id_number=valid_id(31))
        granted(city, applicant_id=criminal.public_id, case_type="criminal", matter="", criminal_ground="none",
                criminal_stage="trial", matter_summary="盗窃", household_monthly_income="0",
                handling_organ="京口区人民法院")
        send_notice(city, ground="full_coverage", received_at=timezone.now(), organ_case_number="(2026)苏1102刑初7号")
        refused = receive(city, household_monthly_income="90000.00")
        case_services.case_decide(actor=city.user("reviewer_a"), public_id=refused.public_id, kind="refuse",
                                  reasons="家庭经济状况不符合经济困难标准。")
        other = receive(city, actor="reviewer_b", applicant_id=city.person_b.public_id)
        case_services.case_decide(actor=city.user("reviewer_b"), public_id=other.public_id, kind="grant")
        for actor, channel in (("clerk_a", "station"), ("reviewer_a", "phone"), ("reviewer_a", "counter"),
                               ("reviewer_b", "counter")):
            consultation_record(actor=city.user(actor), channel=channel, question="咨询问题", advice="解答意见")
    duty = Duty.objects.filter(provider_id=users[0].provider_id, date__month=11).order_by("date").first()
    with time_machine.travel(f"{duty.date.isoformat()} 10:00 +0800", tick=False):
        for kind, number in (("consultation", ""), ("plea_witnessed", "(2026)苏1102刑初8号")):
            duty_services.help_record_create(actor=users[0], duty_id=duty.pk, person_name="被告人41", stage="trial",
                                             kind=kind, organ_case_number=number)
    return city


def _in(at: dt.datetime, first: dt.date, following: dt.date) -> bool:
    return first <= timezone.localdate(at) < following


def recount(center_ids: set[int], first: dt.date, following: dt.date) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """The report's figures from the raw rows, written independently of the rollups."""
    counts: Counter[tuple[str, str]] = Counter()
    money: dict[tuple[str, str], Decimal] = {}
    for case in Case.objects.filter(center_id__in=center_ids).select_related("applicant"):
        if _in(case.received_at, first, following):
            counts["applications", case.channel] += 1
        began = CaseEvent.objects.filter(case=case, to_status__in=["granted", "aid_first"]).order_by("at", "id").first()
        if began is not None and _in(began.at, first, following):
            origin = "notice" if case.channel == "organ_notice" else "application"
            counts["aided", f"{case.case_type}|{case.criminal_stage}|{origin}"] += 1
            for group in set(case.groups or ()):
                counts["aided_group", group] += 1
            if case.applicant.gender == "F":
                counts["aided_group", "women"] += 1
        for event in CaseEvent.objects.filter(case=case, kind__in=["refuse", "accept_closing"]):
            if not _in(event.at, first, following):
                continue
            if event.kind == "refuse":
                counts["refused", case.case_type] += 1
            else:
                counts["closed", case.case_type] += 1
                file = ClosingFile.objects.filter(case=case, accepted=True).order_by("-reviewed_at").first()
                money["closed", case.case_type] = money.get(("closed", case.case_type), Decimal("0.00")) + (
                    file.money_recovered or Decimal("0.00"))
    for consultation in Consultation.objects.filter(center_id__in=center_ids):
        if _in(consultation.occurred_at, first, following):
            counts[CONSULTATIONS, consultation.channel] += 1
    for record in HelpRecord.objects.filter(station__center_id__in=center_ids).select_related("duty"):
        if first <= record.duty.date < following:
            counts[DUTY_HELP, f"{record.kind}|{'plea' if record.kind == 'plea_witnessed' else 'other'}"] += 1
    return {k: (n, money.get(k, Decimal("0.00"))) for k, n in counts.items()}


def _center_a(city):
    return reports.Scope("京口区", (city.center_a.pk,), city.district_a)


def _month(code: str = "2026-11") -> reports.Period:
    return reports.parse_period(code, today=DECEMBER)


def _assert_cells_match(report: reports.Report, raw: dict) -> None:
    assert report.cells == raw
    # The rows are sums of those cells: a few checked by name against the raw counts.
    total = sum(n for (ms, _), (n, _) in raw.items() if ms == "aided")
    assert report.row(AIDED, "法律援助案件合计").count == total
    assert report.row(AIDED, "民事法律援助").count == sum(n for (ms, k), (n, _) in raw.items()
                                                       if ms == "aided" and k.startswith("civil|"))
    assert report.row(AIDED, "其中：审判阶段").count == raw.get(("aided", "criminal|trial|application"), (0,))[0] + \
        raw.get(("aided", "criminal|trial|notice"), (0,))[0]
    assert report.row(AIDED, "其中：办案机关通知辩护（代理）").count == sum(
        n for (ms, k), (n, _) in raw.items() if ms == "aided" and k.startswith("criminal|") and k.endswith("|notice"))
    closed = report.row(APPS, "结案")
    assert (closed.count, closed.amount) == (sum(n for (ms, _), (n, _) in raw.items() if ms == "closed"),
                                             sum((a for (ms, _), (_, a) in raw.items() if ms == "closed"),
                                                 Decimal("0.00")))
    assert report.row(APPS, "决定不予援助").count == sum(n for (ms, _), (n, _) in raw.items() if ms == "refused")
    assert report.row(CONSULT, "法律咨询合计").count == sum(
        n for (ms, _), (n, _) in raw.items() if ms == CONSULTATIONS)
    assert report.row(DUTY, "认罪认罚案件法律帮助").count == raw.get((DUTY_HELP, "plea_witnessed|plea"), (0,))[0]
    assert report.row(GROUPS, "妇女").count == raw.get(("aided_group", "women"), (0,))[0]


def test_every_cell_equals_the_raw_records_before_and_after_a_rebuild(world):
    city = world
    raw = recount({city.center_a.pk}, NOVEMBER, DECEMBER)
    report = reports.build_report(_center_a(city), _month())
    _assert_cells_match(report, raw)
    # The hand count of the fixture, so the recount itself is checked too.
    assert report.row(AIDED, "法律援助案件合计").count == 4
    assert report.row(AIDED, "刑事法律援助").count == 2
    assert report.row(AIDED, "其中：依申请").count == 1
    assert report.row(APPS, "结案").amount == Decimal("12000.55")
    assert report.row(APPS, "决定不予援助").count == 1
    assert report.row(CONSULT, "法律咨询合计").count == 3
    assert report.row(CONSULT, "其中：工作站").count == 1
    assert report.row(DUTY, "值班律师法律帮助合计").count == 2
    assert report.row(DUTY, "认罪认罚案件法律帮助").count == 1
    assert report.row(GROUPS, "妇女").count == 1
    year = reports.build_report(_center_a(city), _month("2026"))
    assert year.row(CONSULT, "法律咨询合计").count == 4  # October's consultation too
    # Every measure, under a frozen clock too (several events of one case at one instant each count only the
    # deadlines their own clocks met).
    def cells() -> dict[tuple, tuple[int, Decimal]]:
        merged: dict[tuple, tuple[int, Decimal]] = {}
        for t in Tally.objects.all():
            address = (t.measure, t.center_id, t.district_id, t.month, t.key)
            n, amount = merged.get(address, (0, Decimal(0)))
            merged[address] = (n + t.count, amount + t.amount)
        return merged

    before = cells()
    services.tally_rebuild()
    assert cells() == before
    _assert_cells_match(reports.build_report(_center_a(city), _month()), raw)
    both = recount({city.center_a.pk, city.center_b.pk}, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    city_scope = reports.report_scope(city.user("bureau"))
    assert reports.build_report(city_scope, _month("2026")).cells == both


def test_the_consultation_and_duty_subscribers_add_their_cells_in_the_transaction(world):
    city = world
    [consult] = Tally.objects.filter(measure=CONSULTATIONS, center=city.center_a, month=NOVEMBER, key="station")
    assert (consult.count, consult.district_id) == (1, city.district_a.pk)
    assert Tally.objects.get(measure=DUTY_HELP, key="plea_witnessed|plea").count == 1
    assert events.subscriptions("consultation.record") and events.subscriptions("duty.help_recorded")
    rebuilt = measures.merge(measures.rebuild_cells())
    assert {c.address: c.count for c in rebuilt if c.measure in (CONSULTATIONS, DUTY_HELP)} == {
        (t.measure, t.center_id, t.district_id, t.month, t.key): t.count
        for t in Tally.objects.filter(measure__in=(CONSULTATIONS, DUTY_HELP))}


def test_the_workbook_and_the_pdf_carry_the_report(world, poppler, tmp_path):
    city = world
    report = reports.build_report(_center_a(city), _month())
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(report_xlsx(report))).active
    rows = {(r[0], r[1]): r for r in sheet.iter_rows(min_row=5, values_only=True) if r[1]}
    for section in report.sections:
        for row in section.rows:
            cells = rows[section.title, row.label]
            assert cells[2] == row.count and cells[4] == row.definition
            if row.amount is not None:
                assert Decimal(str(cells[3])).quantize(Decimal("0.01")) == row.amount
    assert Decimal(str(rows[APPS, "结案"][3])) == Decimal("12000.55")
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "report.pdf"), "-"],  # noqa: S603,S607
                          capture_output=True, check=True, text=True).stdout
    assert "法律援助统计报表" in text and "12000.55" in text and "认罪认罚" in text
    page = str(tmp_path / "page")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"), page],  # noqa: S603,S607
                   check=True)
    assert any(p.name.startswith("page") and p.suffix == ".png" for p in tmp_path.iterdir())


def test_the_page_and_the_exports_answer_in_scope(world, client, django_assert_max_num_queries):
    city = world
    sign_in(client, city.user("reviewer_a"))
    with django_assert_max_num_queries(20):
        page = client.get(URL, {"period": "2026-11"})
    assert page.status_code == 200
    assert "法律援助统计报表" in page.content.decode() and "12000.55" in page.content.decode()
    xlsx = client.get(EXPORT, {"period": "2026-11", "format": "xlsx", "district": city.district_a.pk})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    pdf = client.get(EXPORT, {"period": "2026", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Center A does not own district B; neither does district A's bureau.
    assert client.get(URL, {"period": "2026-11", "district": city.district_b.pk}).status_code == 404
    assert client.get(EXPORT, {"period": "2026-11", "format": "pdf",
                               "district": city.district_b.pk}).status_code == 404
    sign_in(client, city.user("bureau_a"))
    assert client.get(EXPORT, {"period": "2026-11", "format": "xlsx",
                               "district": city.district_b.pk}).status_code == 404
    # The city bureau picks the city or any district; district B holds center B's figures only.
    bureau = city.user("bureau")
    sign_in(client, bureau)
    assert client.get(URL, {"period": "2026-11", "district": city.district_b.pk}).status_code == 200
    district_b = reports.build_report(reports.report_scope(bureau, city.district_b.pk), _month())
    assert district_b.cells == recount({city.center_b.pk}, NOVEMBER, DECEMBER)
    assert reports.report_scope(city.user("reviewer_b")).center_ids == (city.center_b.pk,)


@pytest.mark.parametrize("period", ["2026-13", "11-2026", "２０２６", "1999", "2999-01", "2026-1", ""])
def test_a_bad_period_is_a_chinese_message_and_changes_nothing(world, client, period):
    city = world
    sign_in(client, city.user("reviewer_a"))
    before = list(Tally.objects.order_by("pk").values_list("pk", "count", "amount"))
    page = client.get(URL, {"period": period}) if period else client.get(URL, {"period": "abc"})
    assert page.status_code == 400 and "统计期间格式不正确" in page.content.decode()
    export = client.get(EXPORT, {"period": period, "format": "xlsx"})
    assert export.status_code == 400 and "统计期间格式不正确" in export.content.decode()
    assert client.get(EXPORT, {"period": "2026-11", "format": "doc"}).status_code == 400
    assert list(Tally.objects.order_by("pk").values_list("pk", "count", "amount")) == before


def test_the_page_defaults_to_the_current_month(city, client):
    sign_in(client, city.user("bureau"))
    page = client.get(URL)
    today = timezone.localdate()
    assert page.status_code == 200 and f"{today.year}年{today.month}月" in page.content.decode()
