"""The demo city's agency files (issue 13 part 8): one file per sample source, in that agency's own column layout
(CSV in UTF-8 or GBK, XLSX), listing some demo applicants by their ID numbers (so the review of their pending
applications shows the automatic exemption citing the record) plus other residents, and a few bad rows (a wrong
check digit, an impossible date, an unknown category) for the error report. Imported through the registry's
services after the replayed history, so past decisions stay as they were made.

Deterministic: the same files every run. A file whose digest the source's last successful batch already has is
not imported again (it would change no record, but add a batch, its error rows and an audit entry each time):
a second seed changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import time_machine
from django.core.files import File
from openpyxl import Workbook

from fayuan.accounts.models import User
from fayuan.people import idnumber
from fayuan.places.models import Place
from fayuan.registry.models import BatchStatus, RegistryBatch
from fayuan.registry.services import registry_batch_create, registry_import_run

from .persons import PersonSpec

OTHERS_PER_FILE = 40
AREAS = ("321102", "321111", "321112", "321181", "321182", "321183")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
Row = list[object]


def _others(r: random.Random, offset: int, count: int) -> list[tuple[str, str, str]]:
    """(name, ID number, address) of residents who have applied for nothing."""
    out = []
    for i in range(count):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=r.randrange(0, 60 * 365))
        number = idnumber.build(r.choice(AREAS), birth, 500 + offset * 60 + i)
        name = r.choice(SURNAMES) + r.choice(GIVEN) + r.choice(GIVEN)
        out.append((name, number, f"某街道某社区{r.randrange(1, 99)}号"))
    return out


def _place_code(number: str, i: int) -> str:
    """A village or community of the demo city in the district of the ID number's address code (the seeded places,
    so outreach finds the households the files list); blank where the district has none."""
    codes = _PLACES.setdefault(number[:6], sorted(Place.objects.filter(district__code=number[:6])
                                                  .values_list("code", flat=True)))
    return codes[(i * 7) % len(codes)] if codes else ""


_PLACES: dict[str, list[str]] = {}


def _bad_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def _civil(people: list[tuple[str, str, str]], r: random.Random) -> tuple[list[str], list[Row]]:
    header = ["身份证号码", "姓名", "救助类别", "户主身份证号", "家庭编号", "行政区划代码", "家庭住址", "起始日期",
              "终止日期"]
    rows: list[Row] = []
    for i, (name, number, address) in enumerate(people):
        kind = ("低保", "城市低保", "农村低保", "特困", "低保边缘")[i % 5]
        place = _place_code(number, i)
        rows.append([number, name, kind, number, f"MZ{number[:6]}{i:05d}", place, address,
                     f"{2023 + i % 3}-0{1 + i % 9}-01", "" if i % 7 else "2027-12-31"])
    rows += [[_bad_check(people[0][1]), "错号", "低保", "", "", "", "", "2024-01-01", ""],
             [people[1][1], "日期错", "低保", "", "", "", "", "2024-02-30", ""],
             [people[2][1], "类别错", "五保", "", "", "", "", "2024-01-01", ""]]
    return header, rows


def _disabled(people: list[tuple[str, str, str]], r: random.Random) -> tuple[list[str], list[Row]]:
    header = ["残疾证号", "姓名", "残疾类别", "残疾等级", "户籍地址", "发证日期", "有效期至"]
    kinds = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
    rows: list[Row] = [[f"{number}{1 + i % 7}{1 + i % 4}", name, kinds[i % 7], ("一级", "二级", "三级", "四级")[i % 4],
                        address, dt.date(2022 + i % 3, 1 + i % 12, 10), None]
                       for i, (name, number, address) in enumerate(people)]
    rows.append([_bad_check(people[0][1]) + "11", "错号", "肢体", "四级", "", "2024-01-01", None])
    return header, rows


def _migrants(people: list[tuple[str, str, str]], r: random.Random) -> tuple[list[str], list[Row]]:
    header = ["公民身份号码", "姓名", "用工单位", "登记日期", "合同终止日期", "现居住地址"]
    rows: list[Row] = [[number, name, ("某建筑公司", "某物流公司", "某电子厂")[i % 3], f"2024年{1 + i % 12}月5日",
                        "" if i % 4 else "2027年6月30日", address] for i, (name, number, address) in enumerate(people)]
    rows.append([people[3][1], "日期错", "某建筑公司", "2024年13月5日", "", ""])
    return header, rows


def _rural(people: list[tuple[str, str, str]], r: random.Random) -> tuple[list[str], list[Row]]:
    header = ["户编号", "证件号码", "姓名", "与户主关系", "监测类型", "村代码", "所在村组", "纳入日期", "标识消除日期"]
    rows: list[Row] = []
    for i, (name, number, _address) in enumerate(people):
        place = _place_code(number, i // 2)
        rows.append([f"3211{i // 2:06d}", number, name, "户主" if i % 2 == 0 else "配偶",
                     ("脱贫户", "监测户", "防止返贫监测对象")[i % 3], place, f"某村{1 + i % 9}组", "2021-06-30", ""])
    rows.append([f"3211{999:06d}", people[0][1], "类别错", "户主", "低保户", "", "", "2021-06-30", ""])
    return header, rows


def _veterans(people: list[tuple[str, str, str]], r: random.Random) -> tuple[list[str], list[Row]]:
    header = ["身份证号", "姓名", "优抚类别", "联系地址", "享受起始日期"]
    rows: list[Row] = [[number, name, ("残疾军人", "烈士遗属", "在乡复员军人", "带病回乡退伍军人")[i % 4], address,
                        f"{2018 + i % 6}.0{1 + i % 9}.01"] for i, (name, number, address) in enumerate(people)]
    rows.append([_bad_check(people[0][1]), "错号", "残疾军人", "", "2020.01.01"])
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[Row], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows: list[Row]) -> None:
    # openpyxl stamps the time into the package (created, modified): a fixed clock keeps the bytes, and so the digest
    # a second seed compares, the same.
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        book = Workbook()
        sheet = book.create_sheet("名单", 0)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
    # The worksheet goes into the zip from a temporary file, with that file's real time: rewrite the entries' times.
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


# source code, the demo persons' tags it lists, layout, file name and format
FILES: list[tuple[str, frozenset[str], Callable[..., tuple[list[str], list[Row]]], str, str]] = [
    ("civil_affairs", frozenset({"low_income_allowance", "extreme_poverty", "near_poverty"}), _civil,
     "民政局低保特困低保边缘名单.csv", "utf-8-sig"),
    ("disabled_federation", frozenset({"disabled"}), _disabled, "残联持证残疾人名单.xlsx", "xlsx"),
    ("migrant_workers", frozenset({"migrant_worker"}), _migrants, "人社农民工实名登记.csv", "gbk"),
    ("rural_revitalization", frozenset({"registered_poor"}), _rural, "脱贫户和监测对象名单.csv", "utf-8"),
    ("veterans", frozenset({"military_family"}), _veterans, "优抚对象名单.xlsx", "xlsx"),
]


def seed_registry(specs: list[PersonSpec], actor: User) -> list[RegistryBatch]:
    """Write each agency's file and import the ones not imported yet; returns the new batches."""
    _PLACES.clear()  # a cache for this run only: places may differ between databases
    folder = Path(tempfile.mkdtemp(prefix="demo-registry-"))
    batches = []
    try:
        for offset, (code, tags, layout, name, encoding) in enumerate(FILES):
            r = random.Random(f"registry-{code}")
            # Half of the demo people the agency would know: the others must show their proof at review.
            listed = [(s.name, s.id_number, s.address) for s in specs if set(s.tags) & tags][::2]
            people = listed + _others(r, offset, OTHERS_PER_FILE)
            header, rows = layout(people, r)
            path = folder / name
            if encoding == "xlsx":
                _write_xlsx(path, header, rows)
            else:
                _write_csv(path, header, rows, encoding)
            last = (RegistryBatch.objects.filter(source__code=code, status=BatchStatus.SUCCEEDED)
                    .order_by("-created_at", "-pk").values_list("sha256", flat=True).first())
            if last == hashlib.sha256(path.read_bytes()).hexdigest():
                continue  # imported by an earlier seed
            with path.open("rb") as handle:
                batch = registry_batch_create(actor=actor, source_code=code, upload=File(handle), name=name)
            batches.append(registry_import_run(batch_id=batch.public_id))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return batches
