"""A case opened by an organ's notice explains itself on the case page by the notice's ground and its article, and
says why no means test applies (cases.notice_basis, filled by criminal.explain); the letter to the organ says
辩护人 or 诉讼代理人 as the notice asks and carries the date of the assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.cases.documents.chinese import cn_date
from fayuan.cases.documents.render import render_html
from fayuan.cases.models import DocumentKind
from fayuan.cases.notice_basis import notice_basis
from fayuan.cases.services.assignment import case_assign
from fayuan.core.tests import lawtext
from fayuan.criminal.explain import explain
from fayuan.criminal.grounds import BASIS, NoticeGround, NoticeKind, NoticeStage
from fayuan.criminal.models import Notice

from .support import send_notice

pytestmark = pytest.mark.django_db


def _shipped_notice(ground: str, organ: Any) -> Notice:
    basis = BASIS[NoticeGround(ground)]
    kind = NoticeKind.DEFENSE if NoticeKind.DEFENSE in basis.kinds else NoticeKind.REPRESENTATION
    stage = sorted(basis.stages)[0] if basis.stages else NoticeStage.TRIAL
    return Notice(organ=organ, kind=kind, stage=stage, ground=ground, received_at=timezone.now())


@pytest.mark.parametrize("ground", NoticeGround.values)
def test_every_shipped_ground_explains_its_article_and_the_absence_of_a_means_test(city, ground):
    explained = explain(_shipped_notice(ground, city.organ_a), "trial")
    assert explained.legal_basis == BASIS[NoticeGround(ground)].legal_basis
    assert explained.basis_text == BASIS[NoticeGround(ground)].basis_text
    assert "经济困难状况" in explained.means_test and "第四十一条" in explained.means_basis
    if ground == NoticeGround.VICTIM:  # art. 29 is an application with a means test: the notice route is local
        assert "依据待补" in explained.means_test and explained.assign_basis == ""
    else:
        assert explained.means_test.startswith("不审查经济困难状况")
    if ground in (NoticeGround.FULL_COVERAGE, NoticeGround.COURT_DISCRETION, NoticeGround.VICTIM):
        assert "第三十六条" not in explained.means_basis  # art. 36 covers art. 25 para. 1 and art. 28 only
    else:
        assert "第三十六条" in explained.means_basis and explained.assign_basis.endswith("第三十六条")


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
@pytest.mark.parametrize("ground", NoticeGround.values)
def test_the_means_test_quotations_are_the_texts_held(city, ground):
    explained = explain(_shipped_notice(ground, city.organ_a), "trial")
    found = lawtext.problems(basis_text=explained.means_basis, legal_basis="第四十一条、第三十六条",
                             effective_from=dt.date(2022, 1, 1), effective_to=None)
    assert found == []


@pytest.mark.parametrize(("ground", "kind", "stage", "party", "acting_as"), [
    ("life_or_death", "defense", "trial", "被告人", "辩护人"),
    ("minor", "defense", "investigation", "犯罪嫌疑人", "辩护人"),
    ("victim", "representation", "trial", "被害人", "诉讼代理人"),
    ("compulsory_medical", "representation", "compulsory_medical", "被申请人", "诉讼代理人"),
    ("compulsory_medical", "defense", "compulsory_medical", "被申请人", "诉讼代理人"),  # art. 28 says 诉讼代理人
])
def test_who_the_lawyer_acts_for(city, ground, kind, stage, party, acting_as):
    notice = Notice(organ=city.organ_a, kind=kind, stage=stage, ground=ground, received_at=timezone.now())
    case_stage = "investigation" if stage == "investigation" else "trial"
    assert (explain(notice, case_stage).party, explain(notice, case_stage).acting_as) == (party, acting_as)


@pytest.mark.parametrize(("ground", "kind", "stage", "says"), [
    ("court_discretion", "defense", "trial", "最高人民法院刑诉法解释第四十八条"),
    ("compulsory_medical", "representation", "compulsory_medical", "法律援助法第二十八条"),
    ("victim", "representation", "trial", "通知被害人代理的本地做法"),
    ("blind_deaf_mute", "defense", "trial", "法律援助法第二十五条第一款第二项"),
])
def test_the_case_page_states_the_notice_ground_not_a_means_test(client, city, ground, kind, stage, says):
    notice = send_notice(city, ground=ground, kind=kind, stage=stage)
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("cases:detail", args=[notice.case.public_id])).content.decode()
    assert "data-notice-basis" in html and says in html and notice.get_ground_display() in html
    assert "经济困难审查：符合" not in html and "家庭人均月收入" not in html
    assert "《中华人民共和国法律援助法》第四十一条" in html


def test_a_case_of_another_channel_gets_no_notice_basis_and_costs_no_query(city, django_assert_num_queries):
    from fayuan.cases.tests.conftest import receive

    case = receive(city)
    with django_assert_num_queries(0):
        assert notice_basis(case) is None


def _letter(city: Any, notice: Notice) -> str:
    case_assign(actor=city.user("reviewer_a"), public_id=notice.case.public_id)
    return render_html(notice.case.documents.get(kind=DocumentKind.ORGAN_LETTER))


@pytest.mark.parametrize(("ground", "kind", "stage", "acting_as", "article"), [
    ("blind_deaf_mute", "defense", "trial", "辩护人", "第三十六条"),
    ("victim", "representation", "trial", "诉讼代理人", None),
    ("compulsory_medical", "representation", "compulsory_medical", "诉讼代理人", "第三十六条"),
])
def test_the_letter_to_the_organ_names_the_role_and_the_assignment_date(city, ground, kind, stage, acting_as,
                                                                       article):
    notice = send_notice(city, ground=ground, kind=kind, stage=stage)
    html = _letter(city, notice)
    assert f"担任{notice.person.name}的{acting_as}" in html
    if acting_as == "诉讼代理人":
        assert "辩护人" not in html
    assigned_on = cn_date(timezone.localdate(notice.case.assignments.get().assigned_at))
    assert f"本中心于{assigned_on}指派" in html
    assert cn_date(timezone.localdate(notice.received_at)) in html  # the notice's date
    assert ("第三十六条" in html) is (article is not None)
    assert "决定给予法律援助" not in html  # a notice has no grant decision
