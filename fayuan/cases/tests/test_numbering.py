"""Document numbers: 京法援〔2026〕第123号, consecutive per center, year and series; no gaps, no duplicates.

The concurrency tests need PostgreSQL (SQLite serialises writers anyway): many threads take numbers at once,
half of them roll back, and the committed numbers must still be exactly 1..N.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections, transaction

from fayuan.cases import numbering, services
from fayuan.cases.models import Case, Document, DocumentCounter, DocumentKind
from fayuan.cases.services.creation import PROVISIONAL_NUMBER_PREFIX
from fayuan.conftest import make_district
from fayuan.core.transactions import atomic_service
from fayuan.deadlines.models import Deadline
from fayuan.org.models import Center

from .conftest import receive

SHANGHAI = ZoneInfo("Asia/Shanghai")


def take(center: Center, year: int = 2026, series: str = numbering.SERIES_DOCUMENT) -> int:
    with transaction.atomic():
        return numbering.take_number(center=center, year=year, series=series)


class Rollback(Exception):
    pass


def test_format_number_reads_like_an_official_number(city: Any) -> None:
    center = city.center_a  # doc_prefix 京法援
    assert numbering.format_number(center=center, year=2026, number=123,
                                   series=numbering.SERIES_DOCUMENT) == "京法援〔2026〕第123号"
    assert numbering.format_number(center=center, year=2026, number=7,
                                   series=numbering.SERIES_CASE) == "京法援受〔2026〕第7号"


def test_numbers_are_consecutive_per_center_year_and_series(city: Any) -> None:
    a, b = city.center_a, city.center_b
    assert [take(a) for _ in range(3)] == [1, 2, 3]
    assert take(b) == 1  # another center counts separately
    assert take(a, year=2027) == 1  # a new year starts again at 1
    assert take(a, series=numbering.SERIES_CASE) == 1  # receipts have their own series
    assert take(a) == 4
    assert take(b) == 2
    counters = {(c.center_id, c.year, c.series): c.last_number for c in DocumentCounter.objects.all()}
    assert counters[(a.pk, 2026, numbering.SERIES_DOCUMENT)] == 4
    assert counters[(a.pk, 2027, numbering.SERIES_DOCUMENT)] == 1


def test_a_rolled_back_number_is_given_back(city: Any) -> None:
    assert take(city.center_a) == 1
    with pytest.raises(Rollback), transaction.atomic():
        assert numbering.take_number(center=city.center_a, year=2026, series=numbering.SERIES_DOCUMENT) == 2
        raise Rollback
    assert take(city.center_a) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_take_number_refuses_to_run_outside_a_transaction() -> None:
    _, center, _ = make_district("321111", "润州区")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        numbering.take_number(center=center, year=2026, series=numbering.SERIES_DOCUMENT)
    assert not DocumentCounter.objects.exists()


def test_issued_documents_are_numbered_in_order_and_restart_with_the_local_new_year(city: Any) -> None:
    reviewer = city.user("reviewer_a")
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI), tick=False):
        case = receive(city)
        first = services.document_issue(actor=reviewer, case=case, kind=DocumentKind.GRANT_DECISION)
        second = services.document_issue(actor=reviewer, case=case, kind=DocumentKind.ASSIGNMENT_NOTICE)
        form = services.document_issue(actor=reviewer, case=case, kind=DocumentKind.APPLICATION_FORM)
    # 2026-12-31 16:30 UTC is already 1 January in Zhenjiang: the year is the local one.
    with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        new_year = services.document_issue(actor=reviewer, case=case, kind=DocumentKind.ORGAN_LETTER)
    other = services.document_issue(actor=city.user("reviewer_b"), case=receive(city, actor="reviewer_b",
                                     applicant_id=city.person_b.public_id), kind=DocumentKind.GRANT_DECISION)
    assert (first.number, second.number) == ("京法援〔2026〕第1号", "京法援〔2026〕第2号")
    assert form.number == ""  # forms and receipts carry the case number, not a document number
    assert new_year.number == "京法援〔2027〕第1号"
    assert other.number.startswith("丹法援〔") and other.number.endswith("〕第1号")


# --- PostgreSQL: real concurrency ------------------------------------------------------------------------------

def run_threads(threads: int, work: Any) -> list[BaseException]:
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def runner(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()  # each thread has its own connection; leave none open for the flush

    workers = [threading.Thread(target=runner, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_numbering_has_no_gaps_and_no_duplicates() -> None:
    threads, per_thread = 8, 10
    _, center, _ = make_district("321112", "丹徒区")
    committed: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        for i in range(per_thread):
            try:
                with transaction.atomic():
                    number = numbering.take_number(center=center, year=2026, series=numbering.SERIES_DOCUMENT)
                    if (n + i) % 2:  # half of the issuing transactions fail after taking their number
                        raise Rollback
            except Rollback:
                continue
            with lock:
                committed.append(number)

    errors = run_threads(threads, work)
    assert errors == []
    total = threads * per_thread // 2
    assert len(committed) == total
    assert sorted(committed) == list(range(1, total + 1))
    assert DocumentCounter.objects.get(center=center, year=2026, series=numbering.SERIES_DOCUMENT).last_number == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_document_issue_gives_every_document_its_own_number(city: Any) -> None:
    threads, per_thread = 6, 5
    case = receive(city)
    reviewer = city.user("reviewer_a")

    def work(n: int) -> None:
        for _ in range(per_thread):
            services.document_issue(actor=reviewer, case=case, kind=DocumentKind.GRANT_DECISION)

    assert run_threads(threads, work) == []
    # The application form and the receipt issued at intake carry no number.
    numbers = list(Document.objects.filter(case=case).exclude(number="").values_list("number", flat=True))
    year = dt.datetime.now(tz=SHANGHAI).year
    assert sorted(numbers) == sorted(f"京法援〔{year}〕第{i}号" for i in range(1, threads * per_thread + 1))


def test_a_case_is_numbered_last_and_its_clocks_carry_the_number(city: Any) -> None:
    case = receive(city)
    case.refresh_from_db()
    year = dt.datetime.now(tz=SHANGHAI).year
    assert case.number == f"京法援受〔{year}〕第1号"
    assert set(Deadline.objects.filter(subject_id=case.pk).values_list("reference", flat=True)) == {case.number}
    assert not Case.objects.filter(number__startswith=PROVISIONAL_NUMBER_PREFIX).exists()


def test_a_submit_that_fails_after_creating_its_case_gives_its_number_back(city: Any) -> None:
    @atomic_service
    def submit_then_fail() -> None:
        receive(city)
        raise Rollback

    with pytest.raises(Rollback):
        submit_then_fail()
    assert receive(city).number.endswith("〕第1号")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submit_does_not_wait_for_another_submit_of_its_center(city: Any) -> None:
    """The counter row is locked only by the numbering at the very end of a submit: a second application of the
    same center goes through while the first is still writing (before, it waited for the first to commit)."""
    writing, finish = threading.Event(), threading.Event()
    slow: dict[str, Case] = {}

    @atomic_service
    def submit_and_keep_writing() -> Case:
        case = receive(city)  # every write of the submit done; the number is taken when this service returns
        writing.set()
        assert finish.wait(20)
        return case

    def first() -> None:
        try:
            slow["case"] = submit_and_keep_writing()
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert writing.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # a wait on the counter would fail here
            second = receive(city)
    finally:
        finish.set()
        thread.join()
    year = dt.datetime.now(tz=SHANGHAI).year
    # Numbered in the order they commit, still gap-free.
    assert second.number == f"京法援受〔{year}〕第1号"
    assert slow["case"].number == f"京法援受〔{year}〕第2号"
