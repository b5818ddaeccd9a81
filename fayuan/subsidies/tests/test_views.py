"""The pages render what the services wrote, and the finance office's Excel list reconciles to the fen."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fayuan.accounts.testing import sign_in
from fayuan.subsidies import selectors, services
from fayuan.subsidies.exports import TAX_NOTE
from fayuan.subsidies.models import Budget, Subsidy

from .support import closed_case

pytestmark = pytest.mark.django_db


def _paid_batch(city: Any, n: int = 2) -> Any:
    for _ in range(n):
        s = Subsidy.objects.get(case=closed_case(city))
        services.subsidy_approve(actor=city.user("director_a"), public_id=s.public_id)
    batch = services.batch_create(actor=city.user("reviewer_a"), month=timezone.localdate())
    services.batch_submit(actor=city.user("reviewer_a"), batch_id=batch.pk)
    return services.batch_mark_paid(actor=city.user("reviewer_a"), batch_id=batch.pk, paid_on=timezone.localdate())


def test_the_excel_list_reconciles_with_the_batch_and_the_cases(client: Any, city: Any) -> None:
    batch = _paid_batch(city, 3)
    sign_in(client, city.user("reviewer_a"))
    response = client.get(reverse("subsidies:batch_export", args=[batch.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    body, total = rows[2:-1], rows[-1]
    assert len(body) == 3 and total[0] == "合计"
    paid = [Decimal(str(r[11])).quantize(Decimal("0.01")) for r in body]
    assert sum(paid) == batch.total == sum(s.total for s in Subsidy.objects.filter(batch=batch))
    assert Decimal(str(total[11])).quantize(Decimal("0.01")) == batch.total
    assert {r[10] for r in body} == {0} and {r[12] for r in body} == {TAX_NOTE}  # no tax withheld (art. 52)
    assert {r[1] for r in body} == set(Subsidy.objects.filter(batch=batch).values_list("case__number", flat=True))


def test_the_director_approves_from_the_pending_list(client: Any, city: Any) -> None:
    subsidy = Subsidy.objects.get(case=closed_case(city))
    sign_in(client, city.user("director_a"))
    page = client.get(reverse("subsidies:list")).content.decode()
    assert "待审批（1 件）" in page and subsidy.case.number in page
    detail = client.get(reverse("subsidies:detail", args=[subsidy.public_id])).content.decode()
    assert "往返法院" in detail and "2235.50" in detail and "不代扣税款" in detail
    response = client.post(reverse("subsidies:approve", args=[subsidy.public_id]))
    assert response.status_code == 302
    subsidy.refresh_from_db()
    assert subsidy.status == "approved"


def test_the_provider_claims_on_the_case_and_reads_their_subsidy(client: Any, city: Any) -> None:
    case = closed_case(city, claim=False, close=False)
    sign_in(client, city.user("provider_a"))
    url = reverse("subsidies:claim", args=[case.public_id])
    assert url in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert client.get(url).status_code == 200
    bad = client.post(url, {"procedure": "ordinary", "units": "1", "item_1": "copying", "amount_1": "-3"})
    assert bad.status_code == 200 and not hasattr(case, "subsidy_claim")
    response = client.post(url, {"procedure": "simplified", "units": "1", "item_1": "copying", "amount_1": "80",
                                 "note_1": "复印卷宗"})
    assert response.status_code == 302
    from fayuan.cases import services as case_services

    case_services.closing_review(actor=city.user("reviewer_a"), public_id=case.public_id, accept=True)
    mine = client.get(reverse("subsidies:list")).content.decode()
    assert "我的补贴" in mine and "1280.00" in mine


def test_budgets_page_and_the_funding_workbook(client: Any, city: Any) -> None:
    year = timezone.localdate().year
    _paid_batch(city, 1)
    sign_in(client, city.user("bureau"))
    response = client.post(reverse("subsidies:budget_set"), {"center": city.center_a.pk, "year": year,
                                                              "amount": "50000", "note": ""})
    assert response.status_code == 302
    page = client.get(reverse("subsidies:budgets")).content.decode()
    assert "50000.00" in page and "47764.50" in page
    book = client.get(reverse("subsidies:funding_export", args=[year]))
    ws = load_workbook(io.BytesIO(book.content)).active
    values = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert values[city.center_a.name][1:4] == (50000, 2235.5, 47764.5)


def test_the_funding_page_pages_and_searches_the_centers_and_totals_them_all(
        client: Any, city: Any, monkeypatch: Any) -> None:
    """A country's bureau reads 3,000 centers: the page lists a page of them with their figures, a search by name,
    the total of every center on every page, and a budget form offering the page's centers."""
    from fayuan.subsidies import views

    year = timezone.localdate().year
    _paid_batch(city, 1)
    services.budget_set(actor=city.user("bureau"), center_id=city.center_a.pk, year=year, amount="50000")
    bureau = city.user("bureau")
    names = [name for _, name in selectors.center_list(bureau)]
    assert len(names) >= 2
    monkeypatch.setattr(views, "FUNDING_PAGE_SIZE", 1)
    sign_in(client, bureau)
    url = reverse("subsidies:budgets")
    first, second = (client.get(url, {"page": n}).context for n in (1, 2))
    assert [r.center_name for r in first["rows"]] == names[:1] and [r.center_name for r in second["rows"]] == names[1:2]
    total = selectors.budget_rows(bureau, year)[-1]
    assert first["total"] == second["total"] == total and total.spent == Decimal("2235.50")
    assert first["total_centers"] == len(names)
    assert [c for c, _ in first["form"].fields["center"].choices] == [str(first["rows"][0].center_id)]
    found = client.get(url, {"q": city.center_b.name}).context
    assert [r.center_id for r in found["rows"]] == [city.center_b.pk] and found["total"] == total
    assert found["total_centers"] == len(names)
    chosen = client.get(url, {"q": city.center_b.name, "center": city.center_b.pk})
    assert chosen.context["form"]["center"].value() == str(city.center_b.pk)
    assert f"center={city.center_b.pk}" in chosen.content.decode()  # the row's 登记预算 link
    assert "没有名称含" in client.get(url, {"q": "不存在的中心"}).content.decode()


def test_a_budget_is_set_only_for_a_center_the_user_reads(client: Any, city: Any) -> None:
    year = timezone.localdate().year
    sign_in(client, city.user("director_a"))
    for center in (city.center_b.pk, "x", "9" * 30):
        response = client.post(reverse("subsidies:budget_set"), {"center": center, "year": year, "amount": "1"})
        assert response.status_code == 302
    assert not Budget.objects.exists()
    client.post(reverse("subsidies:budget_set"), {"center": city.center_a.pk, "year": year, "amount": "7"})
    assert Budget.objects.get().center_id == city.center_a.pk
    page = client.get(reverse("subsidies:budgets")).context
    assert [r.center_id for r in page["rows"]] == [city.center_a.pk] and page["total"] is None


def test_every_page_renders(client: Any, city: Any) -> None:
    batch = _paid_batch(city, 1)
    sign_in(client, city.user("reviewer_a"))
    for name, args in [("subsidies:tariff", []), ("subsidies:batches", []), ("subsidies:batch", [batch.pk]),
                       ("subsidies:budgets", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert "示例" in client.get(reverse("subsidies:tariff")).content.decode()


def test_the_grade_reads_as_its_name() -> None:
    assert Subsidy(grade="good").grade_label == "良好" and Subsidy(grade="").grade_label == ""


def test_the_subsidy_list_shows_the_centers_most_in_need_of_attention_when_there_are_many(
        client: Any, city: Any, monkeypatch: Any) -> None:
    """A country's bureau reads 3,000 centers: the list's timeliness table keeps those whose payments most need
    attention and sends to the funding page for the rest; a city's handful all show."""
    from fayuan.subsidies import views

    sign_in(client, city.user("bureau"))
    url = reverse("subsidies:list")
    monkeypatch.setattr(views, "TIMELINESS_SHOWN", 1)
    none_yet = client.get(url)  # no center has a subsidy this year: none needs attention
    assert none_yet.context["timeliness"] == [] and "各中心尚无结案案件的补贴" in none_yet.content.decode()
    monkeypatch.setattr(views, "TIMELINESS_SHOWN", 30)
    closed_case(city)  # center A: one subsidy pending, none paid; center B: nothing this year
    everyone = client.get(url).context
    assert len(everyone["timeliness"]) == everyone["centers_counted"] >= 2
    monkeypatch.setattr(views, "TIMELINESS_SHOWN", 1)
    page = client.get(url)
    assert [t.center_id for t in page.context["timeliness"]] == [city.center_a.pk]
    html = page.content.decode()
    assert f"共 {everyone['centers_counted']} 个中心" in html and reverse("subsidies:budgets") in html
    rows = selectors.timeliness_by_center(city.user("bureau"), timezone.localdate().year)
    assert selectors.needing_attention(rows, 10) == rows
