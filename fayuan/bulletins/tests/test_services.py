"""Drafting and issuing bulletins: the writer's scope, the period over, one per period and scope, gap-free numbers
per prefix and year, the figures frozen at issue and an issued bulletin never changing; the read scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fayuan.bulletins import services
from fayuan.bulletins.models import Bulletin
from fayuan.bulletins.selectors import bulletin_get_for_user, bulletins_visible_to
from fayuan.core.errors import Conflict, NotFoundOrForbidden, PermissionDenied, ValidationFailed

from .support import month

NEXT_MONTH = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _draft(city, who="bureau", kind="monthly", start=LAST_MONTH):
    return services.bulletin_draft(actor=city.user(who), kind=kind, period_start=start)


def test_the_draft_is_prefilled_from_the_figures_and_issuing_freezes_them(city):
    counted = month(city)
    bulletin = services.bulletin_draft(actor=city.user("bureau"), kind="monthly", period_start=counted.start,
                                       today=NEXT_MONTH)
    assert bulletin.center is None and bulletin.status == "draft" and bulletin.number == ""
    assert "尚未完成一案一评" in bulletin.problems and "不合格" in bulletin.problems
    assert "典型案例" in bulletin.good_practice
    issued = services.bulletin_issue(actor=city.user("bureau"), public_id=bulletin.public_id)
    year = timezone.localdate().year
    assert issued.number == f"镇法援质通〔{year}〕第1号" and issued.issued_at is not None
    frozen = issued.figures
    assert [b["key"] for b in frozen["blocks"]] == ["cases", "attendance", "followup", "complaints", "typical",
                                                 "peer_review"]
    assert [c["title"] for c in issued.excellent_cases] == [counted.typical.title]
    # Records change after issue; the issued bulletin does not.
    from fayuan.quality import services as quality
    from fayuan.quality.tests.test_evaluation import full_marks

    case3 = counted.cases["case3"]
    quality.evaluation_complete(actor=city.user("reviewer_a"), public_id=case3.public_id,
                                scores=full_marks(quality.inspection_rubric(timezone.localdate())))
    assert Bulletin.objects.get(pk=issued.pk).figures == frozen
    with pytest.raises(Conflict, match="已印发"):
        services.bulletin_update(actor=city.user("bureau"), public_id=issued.public_id, problems="改", good_practice="")
    with pytest.raises(Conflict, match="已印发"):
        services.bulletin_issue(actor=city.user("bureau"), public_id=issued.public_id)


def test_numbers_run_per_prefix_and_year_without_gaps(city):
    city_first = services.bulletin_issue(actor=city.user("bureau"), public_id=_draft(city).public_id)
    annual = services.bulletin_issue(actor=city.user("bureau"), public_id=_draft(
        city, kind="annual", start=dt.date(timezone.localdate().year - 1, 1, 1)).public_id)
    center_a = services.bulletin_issue(actor=city.user("reviewer_a"), public_id=_draft(city, "reviewer_a").public_id)
    year = timezone.localdate().year
    assert [city_first.number, annual.number] == [f"镇法援质通〔{year}〕第1号", f"镇法援质通〔{year}〕第2号"]
    assert center_a.number == f"{city.center_a.doc_prefix}质通〔{year}〕第1号"
    # A refused issue (no text) takes no number.
    empty = _draft(city, "reviewer_b")
    services.bulletin_update(actor=city.user("reviewer_b"), public_id=empty.public_id, problems="", good_practice="")
    with pytest.raises(ValidationFailed):
        services.bulletin_issue(actor=city.user("reviewer_b"), public_id=empty.public_id)
    services.bulletin_update(actor=city.user("reviewer_b"), public_id=empty.public_id, problems="1. 问题",
                             good_practice="")
    done = services.bulletin_issue(actor=city.user("reviewer_b"), public_id=empty.public_id)
    assert done.number == f"{city.center_b.doc_prefix}质通〔{year}〕第1号"


def test_a_period_not_over_or_drafted_twice_is_refused_and_changes_nothing(city):
    with pytest.raises(ValidationFailed, match="已经结束"):
        _draft(city, start=timezone.localdate())
    with pytest.raises(ValidationFailed, match="已经结束"):
        _draft(city, kind="annual", start=timezone.localdate())
    _draft(city)
    with pytest.raises(Conflict, match="已经存在"):
        _draft(city)
    _draft(city, "reviewer_a")  # the center's own bulletin of the same month is another scope
    assert Bulletin.objects.count() == 2


def test_only_the_city_bureau_and_center_staff_write_and_only_their_own(city):
    for who in ("bureau_a", "provider_a", "clerk_a", "auditor"):
        with pytest.raises(PermissionDenied):
            _draft(city, who)
    city_draft = _draft(city)
    center_draft = _draft(city, "reviewer_a")
    with pytest.raises(NotFoundOrForbidden):  # a city draft is the city bureau's alone: not even seen
        services.bulletin_update(actor=city.user("reviewer_a"), public_id=city_draft.public_id, problems="x",
                                 good_practice="")
    with pytest.raises(PermissionDenied):  # the city bureau reads a center's bulletin, the center issues it
        services.bulletin_issue(actor=city.user("bureau"), public_id=center_draft.public_id)
    with pytest.raises(PermissionDenied):  # a district bureau reads its center's
        services.bulletin_issue(actor=city.user("bureau_a"), public_id=center_draft.public_id)
    with pytest.raises(NotFoundOrForbidden):
        services.bulletin_issue(actor=city.user("reviewer_b"), public_id=center_draft.public_id)
    assert Bulletin.objects.filter(status="issued").count() == 0


def test_read_scopes(city):
    city_draft = _draft(city)
    a = _draft(city, "reviewer_a")
    b = _draft(city, "reviewer_b")

    def seen(who):
        return set(bulletins_visible_to(city.user(who)).values_list("pk", flat=True))

    assert seen("bureau") == {city_draft.pk, a.pk, b.pk}
    assert seen("reviewer_a") == seen("director_a") == {a.pk}  # the city's draft is not theirs yet
    assert seen("bureau_a") == {a.pk}
    assert seen("reviewer_b") == {b.pk}
    assert seen("provider_a") == seen("auditor") == seen("clerk_a") == set()
    services.bulletin_issue(actor=city.user("bureau"), public_id=city_draft.public_id)
    assert seen("reviewer_a") == {a.pk, city_draft.pk} and seen("bureau_a") == {a.pk, city_draft.pk}
    with pytest.raises(NotFoundOrForbidden):
        bulletin_get_for_user(city.user("reviewer_b"), a.public_id)
    with pytest.raises(NotFoundOrForbidden):
        bulletin_get_for_user(city.user("bureau_a"), b.public_id)
    with pytest.raises(NotFoundOrForbidden):
        bulletin_get_for_user(city.user("bureau"), "not-a-uuid")
