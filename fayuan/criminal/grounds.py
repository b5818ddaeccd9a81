"""What an organ's notice says and why the center must (or may) act on it: kinds, stages and grounds, each ground
with the article it rests on. Pure data, no database.

Quotations are copied from the texts in spec/law only; a ground whose text the system does not hold says so
(依据待补) instead of quoting from memory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models

LAL = "《中华人民共和国法律援助法》"
SPC = "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》"
PENDING = "依据待补"


class NoticeKind(models.TextChoices):
    DEFENSE = "defense", "通知辩护"
    REPRESENTATION = "representation", "通知代理"


class NoticeStage(models.TextChoices):
    INVESTIGATION = "investigation", "侦查阶段"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉阶段"
    TRIAL = "trial", "一审"
    SECOND_INSTANCE = "second_instance", "二审"
    DEATH_REVIEW = "death_review", "死刑复核"
    COMPULSORY_MEDICAL = "compulsory_medical", "强制医疗"


# The case keeps the coarser stage of the eligibility rules (investigation, prosecution review, trial, death review).
CASE_STAGE = {
    NoticeStage.INVESTIGATION: "investigation", NoticeStage.PROSECUTION_REVIEW: "prosecution_review",
    NoticeStage.TRIAL: "trial", NoticeStage.SECOND_INSTANCE: "trial", NoticeStage.DEATH_REVIEW: "death_review",
    NoticeStage.COMPULSORY_MEDICAL: "trial",
}
COURT_STAGES = frozenset({NoticeStage.TRIAL, NoticeStage.SECOND_INSTANCE, NoticeStage.DEATH_REVIEW,
                          NoticeStage.COMPULSORY_MEDICAL})


class NoticeGround(models.TextChoices):
    # Legal Aid Law art. 25 para. 1: the codes are the eligibility rules' criminal grounds, so the case's
    # assignment needs (art. 26 seniority, minors' specialist) follow from the same rows.
    MINOR = "minor", "未成年人"
    BLIND_DEAF_MUTE = "blind_deaf_mute", "视力、听力、言语残疾人"
    MENTAL_INCAPACITY = "mental_incapacity", "不能完全辨认自己行为的成年人"
    LIFE_OR_DEATH = "life_or_death", "可能被判处无期徒刑、死刑的人"
    DEATH_REVIEW = "death_review", "申请法律援助的死刑复核案件被告人"
    ABSENTIA = "absentia", "缺席审判案件的被告人"
    OTHER_STATUTORY = "other_statutory", "法律法规规定的其他人员"
    COMPULSORY_MEDICAL = "compulsory_medical", "强制医疗案件的被申请人或者被告人"
    FULL_COVERAGE = "full_coverage", "刑事案件律师辩护全覆盖"
    COURT_DISCRETION = "court_discretion", "人民法院可以通知辩护的情形"
    VICTIM = "victim", "被害人等（通知代理）"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"
    FAST_TRACK = "fast_track", "速裁程序"


# Full defense coverage: ordinary procedure → a legal aid lawyer defends (the case path); simplified or fast-track
# procedure → the duty lawyer of the organ's duty station gives legal help (Legal Aid Law art. 30).
DUTY_PROCEDURES = frozenset({Procedure.SIMPLIFIED, Procedure.FAST_TRACK})


class NoticeRoute(models.TextChoices):
    LAWYER = "lawyer", "指派法律援助律师"
    DUTY = "duty", "值班律师提供法律帮助"


@dataclass(frozen=True)
class GroundBasis:
    legal_basis: str
    basis_text: str  # copied from spec/law; empty when the text is not held
    kinds: frozenset[str]
    stages: frozenset[str] | None = None  # None: any stage
    court_only: bool = False
    mandatory: bool = True

    @property
    def pending(self) -> bool:
        return not self.basis_text


_L25 = (f"{LAL}第二十五条：刑事案件的犯罪嫌疑人、被告人属于下列人员之一，没有委托辩护人的，人民法院、人民检察院、"
        "公安机关应当通知法律援助机构指派律师担任辩护人：……")
_DEF = frozenset({NoticeKind.DEFENSE})


def _art25(item: str, text: str) -> GroundBasis:
    return GroundBasis(f"法律援助法第二十五条第一款第{item}项", f"{_L25}（{item}）{text}", _DEF)


BASIS: dict[str, GroundBasis] = {
    NoticeGround.MINOR: _art25("一", "未成年人；"),
    NoticeGround.BLIND_DEAF_MUTE: _art25("二", "视力、听力、言语残疾人；"),
    NoticeGround.MENTAL_INCAPACITY: _art25("三", "不能完全辨认自己行为的成年人；"),
    NoticeGround.LIFE_OR_DEATH: _art25("四", "可能被判处无期徒刑、死刑的人；"),
    NoticeGround.DEATH_REVIEW: GroundBasis(
        "法律援助法第二十五条第一款第五项", f"{_L25}（五）申请法律援助的死刑复核案件被告人；", _DEF,
        stages=frozenset({NoticeStage.DEATH_REVIEW}), court_only=True),
    NoticeGround.ABSENTIA: GroundBasis(
        "法律援助法第二十五条第一款第六项", f"{_L25}（六）缺席审判案件的被告人；", _DEF, court_only=True),
    # Item 7 refers to other laws and regulations: which ones is for the bureau to enter.
    NoticeGround.OTHER_STATUTORY: GroundBasis(
        f"法律援助法第二十五条第一款第七项（所指法律法规的具体条文{PENDING}）",
        f"{_L25}（七）法律法规规定的其他人员。", _DEF),
    NoticeGround.COMPULSORY_MEDICAL: GroundBasis(
        "法律援助法第二十八条",
        f"{LAL}第二十八条：强制医疗案件的被申请人或者被告人没有委托诉讼代理人的，人民法院应当通知法律援助机构指派律师"
        "为其提供法律援助。", frozenset({NoticeKind.REPRESENTATION, NoticeKind.DEFENSE}),
        stages=frozenset({NoticeStage.COMPULSORY_MEDICAL}), court_only=True),
    # Full defense coverage at trial rests on art. 25 para. 2; its extension to prosecution review (2022) rests on
    # the implementing opinions of the SPC, SPP, MPS and MoJ, whose text is not held.
    # Accepted only while the district's switch (``CoverageSwitch``) for the stage is on; see ``coverage.py``.
    NoticeGround.FULL_COVERAGE: GroundBasis(
        f"法律援助法第二十五条第二款；审查起诉阶段全覆盖的实施意见{PENDING}",
        f"{LAL}第二十五条：……其他适用普通程序审理的刑事案件，被告人没有委托辩护人的，人民法院可以通知法律援助机构"
        "指派律师担任辩护人。", _DEF, stages=frozenset({NoticeStage.PROSECUTION_REVIEW, NoticeStage.TRIAL,
                                                   NoticeStage.SECOND_INSTANCE}), mandatory=False),
    NoticeGround.COURT_DISCRETION: GroundBasis(
        "最高人民法院刑诉法解释第四十八条",
        f"{SPC}第四十八条：具有下列情形之一，被告人没有委托辩护人的，人民法院可以通知法律援助机构指派律师为其提供"
        "辩护：（一）共同犯罪案件中，其他被告人已经委托辩护人的；（二）案件有重大社会影响的；（三）人民检察院抗诉的；"
        "（四）被告人的行为可能不构成犯罪的；（五）有必要指派律师提供辩护的其他情形。", _DEF, court_only=True,
        mandatory=False),
    # Victims apply under art. 29 (economic hardship); an organ's notice for them rests on local practice.
    NoticeGround.VICTIM: GroundBasis(
        f"通知被害人代理的本地做法（法律援助法第二十九条为申请制；通知代理的{PENDING}）", "",
        frozenset({NoticeKind.REPRESENTATION}), mandatory=False),
}


def basis_for(ground: str) -> GroundBasis:
    return BASIS[NoticeGround(ground)]


# SPC interpretation art. 49: a court that has decided to hold a hearing delivers the notice and the indictment
# (or judgment) at least 15 days before it, except in simplified or fast-track procedure.
LATE_DAYS = 15
LATE_BASIS = "最高人民法院刑诉法解释第四十九条"
LATE_TEXT = (f"{SPC}第四十九条：人民法院通知法律援助机构指派律师提供辩护的，应当将法律援助通知书、起诉书副本或者判决书"
             "送达法律援助机构；决定开庭审理的，除适用简易程序或者速裁程序审理的以外，应当在开庭十五日以前将上述材料送达"
             "法律援助机构。")
HEARING_STAGES = frozenset({NoticeStage.TRIAL, NoticeStage.SECOND_INSTANCE})


def is_late(*, stage: str, received_on: dt.date, trial_date: dt.date | None, simplified: bool) -> bool:
    """Received fewer than 15 days before the hearing (the day of receipt not counted, as periods are)."""
    if stage not in HEARING_STAGES or trial_date is None or simplified:
        return False
    return (trial_date - received_on).days < LATE_DAYS
