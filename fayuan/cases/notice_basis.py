"""Why a case opened by an organ's notice is legal aid without an application: the notice's ground and the article
it rests on, why no means test applies, and what the assigned lawyer acts as (辩护人, or 诉讼代理人 for a victim or
in compulsory medical treatment). The criminal app holds the notice and registers a function here in its
``AppConfig.ready()`` (an extension point like ``origins``; ``cases`` never imports it). The case page's
eligibility section and the documents (the letter to the organ, the assignment notice) read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NoticeBasis:
    kind: str  # 通知辩护 / 通知代理
    organ: str
    received_on: dt.date
    ground: str  # the ground's name
    legal_basis: str  # the article(s), as cited
    basis_text: str  # the quotation from the texts held; '' when the text is not held
    means_test: str  # why no means test applies, in one paragraph
    means_basis: str  # its quotations, one a line
    party: str  # how the person stands: 犯罪嫌疑人 / 被告人 / 被申请人 / 被害人
    acting_as: str  # 辩护人 / 诉讼代理人
    organ_case_number: str = ""
    assign_basis: str = ""  # the article the center assigns under, for the letter ('' when none is held for it)

    @property
    def basis_pending(self) -> bool:
        return not self.basis_text


# case -> NoticeBasis, or None when the case was not opened by that app's notice (return at once, no query, for a
# case whose channel is not the app's).
NoticeExplainer = Callable[[Any], NoticeBasis | None]

_explainers: list[NoticeExplainer] = []


def register_notice_explainer(explainer: NoticeExplainer) -> None:
    """Call from an ``AppConfig.ready()``; registering the same function twice is a no-op."""
    if explainer not in _explainers:
        _explainers.append(explainer)


def notice_basis(case: Any) -> NoticeBasis | None:
    for explainer in _explainers:
        found = explainer(case)
        if found is not None:
            return found
    return None
