"""The case page links back to the record that opened the case (cases.origins): the organ's notice, the forwarding
from custody. Only for users who may open that record; no query for cases of other channels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.cases.origins import case_origins
from fayuan.custody.services import ForwardingInput, forwarding_record

from .support import send_notice


def test_a_notice_case_links_to_its_notice_for_the_center(client: Any, city: Any) -> None:
    notice = send_notice(city, ground="blind_deaf_mute")
    sign_in(client, city.user("reviewer_a"))
    html = client.get(reverse("cases:detail", args=[notice.case.public_id])).content.decode()
    assert "来源记录" in html and reverse("criminal:notice", args=[notice.public_id]) in html
    assert case_origins(notice.case, city.user("provider_a")) == []  # a lawyer does not read the organ's notice


def test_a_forwarded_case_links_to_its_forwarding(client: Any, city: Any) -> None:
    data = ForwardingInput(name="钱七", criminal_stage="trial")
    forwarding = forwarding_record(actor=city.user("organ_a"), data=data)
    links = case_origins(forwarding.case, city.user("reviewer_a"))
    assert links == [("在押人员申请转交记录", reverse("custody:forwarding", args=[forwarding.public_id]))]
    assert case_origins(forwarding.case, city.user("reviewer_b")) == []


def test_other_cases_cost_no_query(city: Any, django_assert_num_queries: Any) -> None:
    from fayuan.cases.tests.conftest import receive

    case = receive(city)
    with django_assert_num_queries(0):
        assert case_origins(case, city.user("reviewer_a")) == []
