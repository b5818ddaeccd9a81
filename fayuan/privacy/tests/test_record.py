"""The record of processing activities: quotations only from the statute texts held, the rest marked pending, and
the office and public pages that show it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fayuan.accounts.testing import sign_in
from fayuan.core.dated import PENDING_MARK
from fayuan.core.tests import lawtext
from fayuan.privacy.record import activities


@pytest.mark.skipif(not lawtext.available(), reason="the statute texts (shared/spec) are not on this machine")
def test_every_quotation_matches_the_article_it_cites():
    for activity in activities():
        found = lawtext.problems(basis_text=activity.basis_text, legal_basis=activity.legal_basis,
                                 effective_from=dt.date(2022, 1, 1), effective_to=None)
        assert found == [], (activity.code, found)


def test_a_basis_without_a_held_text_is_pending_and_never_quoted():
    for activity in activities():
        assert "个人信息保护法" not in activity.basis_text and "个人信息保护法" not in activity.legal_basis
        assert activity.basis_text or activity.basis_pending, activity.code  # some basis, quoted or pending
        if "个人信息保护法" in activity.pending_basis:
            assert activity.pending_label.endswith(PENDING_MARK)
        assert activity.retention and activity.recipients and activity.categories, activity.code


def test_office_page_shows_purposes_bases_and_pending_marks(client, city):
    sign_in(client, city.user("auditor"))
    html = client.get(reverse("privacy:record")).content.decode()
    for activity in activities():
        assert activity.purpose in html
    assert "《法律援助法》第四十一条" in html and "依据待确认" in html and "30 年" in html


def test_public_notice_needs_no_sign_in(client, city):
    response = client.get(reverse("privacy_public:notice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(a.public_summary in html for a in activities())
    assert reverse("privacy_public:notice") in client.get(reverse("portal:privacy")).content.decode()
