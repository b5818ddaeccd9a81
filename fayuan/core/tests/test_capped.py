"""Counts up to a cap (core.capped): exact below it, "N+" above, pages stopping at the cap; on real rows."""

from __future__ import annotations

from typing import Any

import pytest

from fayuan.core import capped
from fayuan.core.capped import CappedCount, CappedPaginator, UncountedPaginator, capped_count
from fayuan.org.models import District


@pytest.fixture
def cap_of_three(monkeypatch: Any) -> None:
    monkeypatch.setattr(capped, "COUNT_CAP", 3)


def test_a_count_is_exact_up_to_the_cap_and_says_more_beyond(cap_of_three: None) -> None:
    assert (str(CappedCount(3)), CappedCount(3).capped, CappedCount(3).label) == ("3", False, "共 3 条")
    assert (str(CappedCount(4)), CappedCount(4).capped, CappedCount(4).label) == ("3+", True, "超过 3 条")
    assert CappedCount(4) > 3 and CappedCount(0) == 0 and not CappedCount(0)


@pytest.mark.django_db
def test_the_count_stops_after_the_cap_on_real_rows(cap_of_three: None, django_assert_num_queries: Any) -> None:
    for n in range(6):
        District.objects.create(code=f"99{n:04d}", name=f"测试区{n}", kind="district")
    everything = District.objects.all()
    assert everything.count() >= 6
    with django_assert_num_queries(1) as counted:
        counted_everything = capped_count(everything)
    assert counted_everything == 4 and counted_everything.capped
    assert "LIMIT 4" in counted.captured_queries[0]["sql"]
    assert capped_count(District.objects.filter(code="990001")) == 1


@pytest.mark.django_db
def test_pages_stop_at_the_cap(cap_of_three: None) -> None:
    for n in range(6):
        District.objects.create(code=f"99{n:04d}", name=f"测试区{n}", kind="district")
    paginator = CappedPaginator(District.objects.filter(code__startswith="99").order_by("code"), 2)
    assert (paginator.count, paginator.count.capped, paginator.num_pages) == (4, True, 2)
    last = paginator.get_page(99)
    assert last.number == 2 and not last.has_next()
    assert [d.code for d in last] == ["990002"]  # the third: the last row within the cap
    exact = CappedPaginator(District.objects.filter(code__in=["990000", "990001"]), 2)
    assert (exact.count, exact.count.capped, exact.num_pages) == (2, False, 1)


@pytest.mark.django_db
def test_an_uncounted_list_reads_one_row_past_each_page_and_never_counts(
        cap_of_three: None, django_assert_num_queries: Any) -> None:
    for n in range(5):
        District.objects.create(code=f"99{n:04d}", name=f"测试区{n}", kind="district")
    rows = District.objects.filter(code__startswith="99").order_by("code")
    paginator = UncountedPaginator(rows, 2)
    with django_assert_num_queries(1) as read:
        first = paginator.get_page(None)
    assert "COUNT(" not in read.captured_queries[0]["sql"].upper() and "LIMIT 3" in read.captured_queries[0]["sql"]
    assert ([d.code for d in first], first.has_next(), first.has_previous()) == (["990000", "990001"], True, False)
    assert (first.start_index(), first.end_index(), first.next_page_number()) == (1, 2, 2)
    # The cap of three rows allows two pages, the second of one row, whatever the rows beyond (as a capped list).
    assert paginator.last_page == 2
    second = paginator.get_page("7")
    assert (second.number, [d.code for d in second], second.has_next()) == (2, ["990002"], False)
    assert paginator.get_page("abc").number == 1
    with pytest.raises(TypeError):
        paginator.count  # noqa: B018  # asking for the total is a bug, not a count


@pytest.mark.django_db
def test_an_uncounted_list_ends_on_its_last_row_or_past_it(monkeypatch: Any) -> None:
    monkeypatch.setattr(capped, "COUNT_CAP", 100)
    for n in range(5):
        District.objects.create(code=f"99{n:04d}", name=f"测试区{n}", kind="district")
    paginator = UncountedPaginator(District.objects.filter(code__startswith="99").order_by("code"), 2)
    last = paginator.get_page("3")
    assert ([d.code for d in last], last.has_next(), last.previous_page_number()) == (["990004"], False, 2)
    assert (last.start_index(), last.end_index()) == (5, 5)
    full = paginator.get_page("2")
    assert full.has_next() and len(full) == 2
    past = paginator.get_page("9")  # beyond the rows, within the cap: an empty page that leads back
    assert (len(past), past.has_next(), past.has_previous(), past.start_index()) == (0, False, True, 0)
