"""The people list: the people registered with the center and those linked to it by a registration, newest first
across both, paged, with the same queries at any size (two index-ordered branches merged: person_list_ids)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from fayuan.accounts.testing import sign_in
from fayuan.conftest import valid_id
from fayuan.people.models import Person
from fayuan.people.selectors import person_list_ids, persons_in_order
from fayuan.people.services import person_register


def _age(person: Person, days: int) -> None:
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_own_and_linked_people_newest_first_across_both(city: Any) -> None:
    reviewer_a, reviewer_b = city.user("reviewer_a"), city.user("reviewer_b")
    own_old = person_register(actor=reviewer_a, name="甲", id_number=valid_id(41))
    elsewhere = person_register(actor=reviewer_b, name="乙", id_number=valid_id(43, area="321181"))
    linked = person_register(actor=reviewer_a, name="乙", id_number=valid_id(43, area="321181"))  # links B's person
    assert linked.pk == elsewhere.pk
    own_new = person_register(actor=reviewer_a, name="丙", id_number=valid_id(45))
    _age(own_old, 30)
    _age(elsewhere, 10)
    _age(own_new, 1)
    ids = [row["id"] for row in person_list_ids(reviewer_a)]
    assert ids.index(own_new.pk) < ids.index(elsewhere.pk) < ids.index(own_old.pk)
    assert len(ids) == len(set(ids))  # a linked person registered here too is listed once
    assert elsewhere.pk not in [row["id"] for row in person_list_ids(reviewer_a, query="甲")]
    assert [p.pk for p in persons_in_order(reviewer_a, ids[:2])] == ids[:2]
    assert own_old.pk not in {row["id"] for row in person_list_ids(reviewer_b)}


def test_the_list_page_pages_and_its_queries_do_not_grow(client: Any, city: Any,
                                                         django_assert_max_num_queries: Any) -> None:
    reviewer = city.user("reviewer_a")
    sign_in(client, reviewer)
    url = reverse("people:list")
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        person_register(actor=reviewer, name=f"列表{n}", id_number=valid_id(100 + n))
    with django_assert_max_num_queries(20) as many:
        first = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "列表29" in first.content.decode()
    assert "列表0" in client.get(url, {"page": 2}).content.decode()


def test_past_the_count_cap_the_list_says_more_and_stops_its_pages_there(client: Any, city: Any,
                                                                       monkeypatch: Any) -> None:
    """At national size a center's people are counted up to the cap (core.capped), not all 700,000 of them."""
    monkeypatch.setattr("fayuan.core.capped.COUNT_CAP", 30)
    reviewer = city.user("reviewer_a")
    sign_in(client, reviewer)
    for n in range(32):
        person_register(actor=reviewer, name=f"封顶{n}", id_number=valid_id(200 + n))
    html = client.get(reverse("people:list")).content.decode()
    assert "第 1 / 2 页，共 30+ 条，更多请用搜索缩小范围" in html  # pages of 25, newest first
    last = client.get(reverse("people:list"), {"page": 9}).content.decode()  # beyond the cap: the last capped page
    assert "第 2 / 2 页" in last and "封顶2</" in last and "封顶1</" not in last  # rows 26-30 of the newest


def test_the_first_rows_of_each_branch_make_the_same_page(city: Any) -> None:
    """``first``: each branch limited inside (PostgreSQL) gives the same first rows as the whole list."""
    reviewer_a, reviewer_b = city.user("reviewer_a"), city.user("reviewer_b")
    for n in range(6):
        person_register(actor=reviewer_a, name=f"本中心{n}", id_number=valid_id(300 + n))
        other = person_register(actor=reviewer_b, name=f"他中心{n}", id_number=valid_id(320 + n, area="321181"))
        person_register(actor=reviewer_a, name=other.name, id_number=valid_id(320 + n, area="321181"))  # linked
        _age(other, n)
    whole = [row["id"] for row in person_list_ids(reviewer_a)]
    for first in (1, 5, 9, 100):
        assert [row["id"] for row in person_list_ids(reviewer_a, first=first)[:first]] == whole[:first]
    assert [row["id"] for row in person_list_ids(reviewer_a, first=10)[5:10]] == whole[5:10]
