"""The case page's and the letters' account of a case opened by an organ's notice (registered in
``cases.notice_basis``): the ground and its article, why no means test applies, and whether the lawyer defends or
represents. Quotations come from the texts in spec/law only; a ground whose text is not held says 依据待补."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fayuan.cases.notice_basis import NoticeBasis

from .grounds import LAL, PENDING, NoticeGround, NoticeKind, NoticeStage, basis_for
from .models import Notice

ORGAN_NOTICE = "organ_notice"

# Legal Aid Law art. 41: the means check is for applications made because of economic hardship.
ART41 = f"{LAL}第四十一条：因经济困难申请法律援助的，申请人应当如实说明经济困难状况。"
# Art. 36: the organs' duty to notify for art. 25 para. 1 and art. 28, and the center's to assign within 3 days.
ART36 = (f"{LAL}第三十六条：人民法院、人民检察院、公安机关办理刑事案件，发现有本法第二十五条第一款、第二十八条"
         "规定情形的，应当在三日内通知法律援助机构指派律师。法律援助机构收到通知后，应当在三日内指派律师并通知人民法院、"
         "人民检察院、公安机关。")
ART36_GROUNDS = frozenset(set(NoticeGround) - {NoticeGround.FULL_COVERAGE, NoticeGround.COURT_DISCRETION,
                                                NoticeGround.VICTIM})


def means_test_text(ground: str, legal_basis: str) -> tuple[str, str]:
    """Why no means test applies to a notice on ``ground``, and the quotations it rests on."""
    if ground == NoticeGround.VICTIM:
        return ("本案由办案机关通知代理，法律援助中心未审查经济困难状况。被害人等的法律援助，法律援助法第二十九条规定为"
                "“因经济困难没有委托诉讼代理人的，可以向法律援助机构申请”；依办案机关通知代理而不审查经济困难状况，"
                f"属本地做法（{PENDING}）。", ART41)
    if ground in ART36_GROUNDS:
        return ("不审查经济困难状况：本案不是当事人因经济困难提出的申请（法律援助法第四十一条），"
                f"而是办案机关依{legal_basis}发现应当指派律师的情形后依法律援助法第三十六条通知；该条规定的情形不以经济困难为条件，法律援助机构收到通知后"
                "应当在三日内指派律师，不另作是否给予法律援助的决定。",
                f"{ART41}\n{ART36}")
    return ("不审查经济困难状况：本案不是当事人因经济困难提出的申请（法律援助法第四十一条），"
            f"而是办案机关依{legal_basis}通知法律援助机构指派律师；该规定不以被告人经济困难为条件。", ART41)


def party_and_role(kind: str, ground: str, stage: str, case_stage: str) -> tuple[str, str]:
    """How the person stands, and what the assigned lawyer acts as. Legal Aid Law art. 28 speaks of the
    respondent's 诉讼代理人 in compulsory medical treatment; a victim's lawyer represents (art. 29: 诉讼代理人)."""
    if ground == NoticeGround.VICTIM:
        return "被害人", "诉讼代理人"
    if ground == NoticeGround.COMPULSORY_MEDICAL:
        return ("被申请人" if stage == NoticeStage.COMPULSORY_MEDICAL else "被告人"), "诉讼代理人"
    party = "犯罪嫌疑人" if case_stage in ("investigation", "prosecution_review") else "被告人"
    return party, ("诉讼代理人" if kind == NoticeKind.REPRESENTATION else "辩护人")


def explain(notice: Notice, case_stage: str) -> NoticeBasis:
    basis = basis_for(notice.ground)
    means, means_basis = means_test_text(notice.ground, basis.legal_basis)
    party, acting_as = party_and_role(notice.kind, notice.ground, notice.stage, case_stage)
    return NoticeBasis(
        kind=notice.get_kind_display(), organ=notice.organ.name,
        received_on=timezone.localdate(notice.received_at), ground=notice.get_ground_display(),
        legal_basis=basis.legal_basis, basis_text=basis.basis_text, means_test=means, means_basis=means_basis,
        party=party, acting_as=acting_as, organ_case_number=notice.organ_case_number,
        assign_basis=f"{LAL}第三十六条" if notice.ground in ART36_GROUNDS else "",
    )


def notice_basis_for_case(case: Any) -> NoticeBasis | None:
    """``cases.notice_basis`` explainer: only for cases opened by a notice (no query for any other case)."""
    if getattr(case, "channel", None) != ORGAN_NOTICE:
        return None
    notice = Notice.objects.select_related("organ").filter(case_id=case.pk).first()
    return explain(notice, case.criminal_stage) if notice is not None else None
