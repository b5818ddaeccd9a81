"""Full defense coverage (刑事案件律师辩护全覆盖, plan point 3): which district switch a ``full_coverage`` notice
needs, whether it is on, where the notice goes, and the coverage rate of a court's month.

A notice on this ground is accepted only while the organ's district has the stage's switch on (the trial stage for
first and second instance; the prosecution-review stage since 2022 has a switch of its own). In ordinary procedure a
legal aid lawyer defends (the notice opens a case as every notice does); in simplified or fast-track procedure the
duty lawyer of the organ's duty station gives legal help (Legal Aid Law art. 30), and no case is opened."""

from __future__ import annotations

import datetime as dt

from fayuan.org.models import Organ

from .grounds import DUTY_PROCEDURES, NoticeGround, NoticeRoute, NoticeStage
from .models import CoverageStage, CoverageSwitch

SWITCH_STAGE: dict[str, str] = {
    NoticeStage.TRIAL: CoverageStage.TRIAL, NoticeStage.SECOND_INSTANCE: CoverageStage.TRIAL,
    NoticeStage.PROSECUTION_REVIEW: CoverageStage.PROSECUTION_REVIEW,
}
DUTY_BASIS = ("法律援助法第三十条：值班律师应当依法为没有辩护人的犯罪嫌疑人、被告人提供法律咨询、程序选择建议、"
              "申请变更强制措施、对案件处理提出意见等法律帮助。")


def switch_in_force(district_id: int, stage: str, on: dt.date) -> CoverageSwitch | None:
    """The district's switch for the notice stage on the day, or None (off, or a stage without coverage)."""
    coverage_stage = SWITCH_STAGE.get(stage)
    if coverage_stage is None:
        return None
    return (CoverageSwitch.objects.in_force_on(on).filter(district_id=district_id, stage=coverage_stage)
            .order_by("-effective_from").first())


def refusal_message(organ: Organ, stage: str, on: dt.date) -> str:
    """Chinese, naming the switch that is off."""
    coverage_stage = SWITCH_STAGE.get(stage)
    label = CoverageStage(coverage_stage).label if coverage_stage else NoticeStage(stage).label
    return (f"{organ.district}“{label}刑事案件律师辩护全覆盖”开关在 {on:%Y-%m-%d} 未开启，"
            "不能以“刑事案件律师辩护全覆盖”为由通知；如属法律援助法第二十五条第一款的情形，请选择相应理由。")


def route_for(ground: str, procedure: str) -> str:
    if ground == NoticeGround.FULL_COVERAGE and procedure in DUTY_PROCEDURES:
        return NoticeRoute.DUTY
    return NoticeRoute.LAWYER


def coverage_rate(*, tried: int, own_counsel: int, notices: int) -> float | None:
    """(own counsel + notices) ÷ tried, as a percentage with one decimal; None when nobody was tried."""
    if tried <= 0:
        return None
    return round((own_counsel + notices) * 100 / tried, 1)
