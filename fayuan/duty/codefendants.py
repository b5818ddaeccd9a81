"""One lawyer may not defend two defendants of one criminal case (SPC interpretation art. 43 para. 2). A duty
lawyer's help to a suspect counts: having helped one co-defendant (same organ case number), the lawyer may not
defend another, and a lawyer who holds or held another co-defendant's case may not record help for this one.
The same person is not a co-defendant of themselves: matched on the person record when the ID number was given,
else on the name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Q

from fayuan.cases.models import Assignment

from .models import HelpRecord

CO_DEFENDANT_BASIS = "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释第四十三条第二款"


def _other_person(person_id: int | None, name: str) -> Q:
    """Rows (help records) about someone else than this person."""
    if person_id is not None:
        return ~Q(person_id=person_id) & (Q(person__isnull=False) | ~Q(person_name=name))
    return ~Q(person_name=name)


def help_given_to_co_defendant(case: Any, provider_ids: Sequence[int]) -> Mapping[int, str]:
    """The assignment veto duty registers in cases: providers who as duty lawyers helped another defendant of the
    case's criminal case. No query for a case without an organ case number (most cases)."""
    if getattr(case, "case_type", "") != "criminal" or not case.organ_case_number:
        return {}
    applicant = case.applicant
    rows = (HelpRecord.objects.filter(provider_id__in=provider_ids, organ_case_number=case.organ_case_number)
            .filter(_other_person(applicant.pk, applicant.name))
            .values_list("provider_id", "person_name").order_by("recorded_at"))
    found: dict[int, list[str]] = {}
    for provider_id, name in rows:
        if name not in found.setdefault(provider_id, []):
            found[provider_id].append(name)
    return {p: f"曾作为值班律师为同案其他犯罪嫌疑人、被告人（{'、'.join(names)}）提供法律帮助，"
               f"一名辩护人不得为两名以上的同案被告人辩护（{CO_DEFENDANT_BASIS}）" for p, names in found.items()}


def co_defendant_cases_held(*, provider_id: int, organ_case_number: str, person_id: int | None,
                            name: str) -> list[str]:
    """Numbers of the legal aid cases of another defendant of this criminal case that the lawyer holds or held."""
    if not organ_case_number:
        return []
    same = Q(case__applicant_id=person_id) if person_id is not None else Q(case__applicant__name=name)
    rows = (Assignment.objects.filter(provider_id=provider_id, case__case_type="criminal",
                                      case__organ_case_number=organ_case_number)
            .exclude(same).values_list("case__number", flat=True).distinct().order_by("case__number"))
    return list(rows)
