"""seed_demo's case history: every workflow state, made only through the services, in time order, and believable.

The city is seeded once per module (200 people, 120 cases, 150 consultations) inside a transaction that is rolled
back at the end; every test reads it inside its own savepoint.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from fayuan.accounts.models import User
from fayuan.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    Decision,
    Document,
    Objection,
    ObjectionOutcome,
    ProgressEntry,
    Status,
    Termination,
)
from fayuan.cases.workflow import OPEN_STATUSES
from fayuan.consultations.models import Consultation
from fayuan.core.audit import verify_chain
from fayuan.core.models import AuditEntry
from fayuan.deadlines.models import Deadline
from fayuan.demo.builders import CITY_KEY
from fayuan.demo.cases import load_world, plan_cases, target_list
from fayuan.demo.custody import FORWARDINGS
from fayuan.demo.data import CITY_CENTER, DISTRICTS
from fayuan.demo.notices import NOTICES
from fayuan.org.defense_pool import member_ids_on
from fayuan.org.models import Center, Provider, Station
from fayuan.outreach.models import Intervention

PERSONS, CASES, CONSULTATIONS = 200, 120, 150
NUMBER = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕第(?P<n>\d+)号$")


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", persons=PERSONS, cases=CASES, consultations=CONSULTATIONS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed()
        yield output
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)
            if m._meta.db_table in tables}


def test_target_list_has_every_status_in_proportion() -> None:
    for total in (16, 120, 2000):
        targets = target_list(total)
        assert len(targets) == total and set(targets) == set(Status.values), total
    big = target_list(2000)
    assert 800 <= big.count("archived") <= 950 and big.count("in_progress") >= 300


def test_every_status_appears_and_no_service_refused_a_step(seeded: str, db: Any) -> None:
    # The planned history, plus the custody forwardings (demo/custody.py) and the organs' notices (demo/notices.py)
    # replayed beside it.
    assert Case.objects.filter(custody_forwarding__isnull=True).exclude(channel="organ_notice").count() == CASES
    assert Case.objects.filter(custody_forwarding__isnull=False).count() == len(FORWARDINGS)
    assert Case.objects.filter(channel="organ_notice").count() == NOTICES and f"办案机关通知 {NOTICES} 件" in seeded
    present = set(Case.objects.values_list("status", flat=True))
    assert present == set(Status.values), set(Status.values) - present
    assert "被拒绝" not in seeded and "与计划不符" not in seeded, seeded
    assert "已归档" in seeded and "archived" in seeded  # the counts per status are printed


def test_cases_are_spread_over_the_year_centers_and_kinds(seeded: str, db: Any) -> None:
    now = timezone.now()
    received = list(Case.objects.values_list("received_at", flat=True))
    assert min(received) >= now - dt.timedelta(days=380) and max(received) <= now
    assert min(received) <= now - dt.timedelta(days=250)  # finished cases reach back most of the year
    assert Case.objects.values("center").distinct().count() == Center.objects.count()
    # The planned history's shares (the organs' notices and custody forwardings, all criminal, come on top).
    kinds = dict(Case.objects.exclude(channel__in=["organ_notice", "custody"]).values_list("case_type")
                 .annotate(n=Count("id")))
    assert 0.2 <= kinds.get("criminal", 0) / CASES <= 0.5 and kinds.get("civil", 0) / CASES >= 0.4
    assert Case.objects.filter(receiving_station__isnull=False).exists()
    assert Case.objects.filter(green_channel=True).exists()
    # The replayed history's consultations; outreach's early-intervention tasks record theirs on top.
    from_outreach = Intervention.objects.filter(consultation__isnull=False).values("consultation")
    assert Consultation.objects.exclude(pk__in=from_outreach).count() == CONSULTATIONS
    assert Consultation.objects.filter(person__isnull=True).exists()
    assert Consultation.objects.filter(station__isnull=False).exists()


def test_every_case_history_is_in_time_order_and_starts_at_receipt(seeded: str, db: Any) -> None:
    events: dict[int, list[tuple[int, dt.datetime, str]]] = defaultdict(list)
    for case_id, pk, at, kind in CaseEvent.objects.values_list("case_id", "pk", "at", "kind"):
        events[case_id].append((pk, at, kind))
    received = dict(Case.objects.values_list("pk", "received_at"))
    for case_id, rows in events.items():
        rows.sort()
        times = [at for _, at, _ in rows]
        assert times == sorted(times), case_id
        assert rows[0][2] == "received" and rows[0][1] == received[case_id]
    for entry in ProgressEntry.objects.select_related("case"):
        assert entry.occurred_on <= timezone.localdate(entry.recorded_at)


def test_audit_chain_verifies_and_its_times_rise_with_its_sequence(seeded: str, db: Any) -> None:
    assert verify_chain().ok
    times = list(AuditEntry.objects.order_by("seq").values_list("occurred_at", flat=True))
    assert times == sorted(times)


def test_document_and_case_numbers_have_no_gaps_per_center_and_year(seeded: str, db: Any) -> None:
    for rows in (Document.objects.exclude(number="").values_list("number", "created_at"),
                 Case.objects.values_list("number", "received_at")):
        series: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, at in rows:
            m = NUMBER.match(number)
            assert m, number
            assert int(m["year"]) == timezone.localdate(at).year, number
            series[(m["prefix"], m["year"])].append(int(m["n"]))
        assert series
        for key, numbers in series.items():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), key


def test_no_provider_holds_more_open_cases_than_their_capacity(seeded: str, db: Any) -> None:
    providers = Provider.objects.annotate(open=Count("assignments", filter=Q(
        assignments__is_active=True, assignments__case__status__in=OPEN_STATUSES)))
    assert all(p.open <= p.capacity for p in providers)
    assert sum(p.open for p in providers) == Case.objects.filter(status__in=OPEN_STATUSES).count()
    demo = User.objects.get(username="demo_provider").provider
    assert Assignment.objects.filter(provider=demo, is_active=True, case__status__in=OPEN_STATUSES).exists()


def test_side_paths_are_taken_with_their_reasons(seeded: str, db: Any) -> None:
    refusals = Decision.objects.filter(kind="refuse")
    assert refusals.exists() and all(len(d.reasons) > 10 for d in refusals)
    assert Decision.objects.filter(kind="aid_first").exists()
    assert Termination.objects.exists() and all(t.explanation for t in Termination.objects.all())
    assert Case.objects.filter(objections__outcome=ObjectionOutcome.PENDING, status=Status.OBJECTION).exists()
    decided = set(Objection.objects.exclude(outcome=ObjectionOutcome.PENDING).values_list("against", "outcome"))
    assert {("refusal", "upheld"), ("refusal", "overturned"), ("termination", "upheld")} <= decided
    assert CaseEvent.objects.filter(kind="change_provider").exists()
    assert CaseEvent.objects.filter(kind="return_closing").exists()
    assert CaseEvent.objects.filter(kind__in=["expire_supplement", "withdraw"]).exists()
    assert CaseEvent.objects.filter(kind="forward").exists() and CaseEvent.objects.filter(kind="archive").exists()
    # Life or death cases went to lawyers with at least three years of criminal defense (art. 26).
    today = timezone.localdate()
    for a in Assignment.objects.filter(case__criminal_ground__in=["life_or_death", "death_review"]):
        assert a.provider.years_of_criminal_defense(timezone.localdate(a.assigned_at)) >= 3 or \
            a.provider.years_of_criminal_defense(today) >= 3
    # Criminal cases were assigned, each to a member of the criminal-defense pool on its assignment day.
    criminal = list(Assignment.objects.filter(case__case_type="criminal"))
    assert len(criminal) > 10
    for a in criminal:
        assert a.provider_id in member_ids_on([a.provider_id], timezone.localdate(a.assigned_at)), a.case_id


def test_deadlines_are_mostly_met_some_overdue_some_coming(seeded: str, db: Any) -> None:
    today = timezone.localdate()
    closed = Deadline.objects.filter(met_at__isnull=False)
    late = [d for d in closed.select_related("rule") if d.met_late]
    assert closed.count() > 100 and len(late) / closed.count() <= 0.2
    open_ = Deadline.objects.filter(met_at__isnull=True, cancelled_at__isnull=True)
    assert open_.filter(due_on__lt=today).exists()
    assert open_.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=15)).exists()


def test_every_provider_and_station_has_an_account_to_act_with(seeded: str, db: Any) -> None:
    assert not Provider.objects.filter(active=True, user__isnull=True).exists()
    assert User.objects.filter(username__startswith="demo_lawyer_", role="provider").count() >= 140
    assert not Station.objects.filter(active=True).exclude(users__role="station_clerk").exists()


def test_planning_is_deterministic(seeded: str, db: Any) -> None:
    org_centers = {d.slug: Center.objects.get(name=d.center_name) for d in DISTRICTS}
    org_centers[CITY_KEY] = Center.objects.get(name=CITY_CENTER.name)
    stations = {s.name: s for s in Station.objects.all()}
    now = timezone.now()

    def plans() -> list[tuple[Any, ...]]:
        world = load_world(now, org_centers, stations, None)
        return [(p.target, p.applicant.pk, p.data["case_type"], [(s.at, s.kind) for s in p.steps])
                for p in plan_cases(world, 40)]

    first = plans()
    assert first == plans()
    assert {t for t, *_ in first} == set(Status.values)


def test_second_run_adds_nothing(seeded: str, db: Any) -> None:
    before = _row_counts()
    output = _seed()
    assert _row_counts() == before
    assert "不再生成演示历史" in output


def test_typical_cases_have_gaps_go_through_review_and_pass_the_check(seeded: str, db: Any) -> None:
    """A year of typical cases from the centers' closed cases: the planned gaps show as missed months; the bureau
    accepted, returned and left some to review; an excellent-case review is scored; all published ones are clean."""
    from fayuan.demo.typical_cases import _months, planned
    from fayuan.typical_cases import rules
    from fayuan.typical_cases.models import ExcellenceReview, TypicalCase
    from fayuan.typical_cases.selectors import compliance, public_typical_cases, review_results
    from fayuan.typical_cases.services import submission_problems

    assert "典型案例：报送" in seeded
    typical = list(TypicalCase.objects.select_related("case"))
    assert {t.status for t in typical} == {"submitted", "returned", "accepted"}
    assert all(t.case.center_id == t.center_id and t.case.status in ("closed", "archived") for t in typical)
    assert all(submission_problems(t) == [] for t in typical)
    assert public_typical_cases().count() == sum(t.status == "accepted" for t in typical) > 0
    today = timezone.localdate()
    months = _months(today)
    keys = sorted(d.slug for d in DISTRICTS)
    counts = {(t.center.name, t.period) for t in typical}
    for ci, key in enumerate(keys):
        center = Center.objects.get(name=next(d.center_name for d in DISTRICTS if d.slug == key))
        gaps = [m for mi, m in enumerate(months) if planned(ci, mi) == 0]
        assert gaps and not any((center.name, m) in counts for m in gaps), key
    bureau = User.objects.get(username="demo_bureau")
    cells = [(row.center.pk, c) for year in {m.year for m in months} for row in compliance(bureau, year, today=today)
             for c in row.cells if c.period in months]
    assert {c.status for _, c in cells} >= {rules.MET, rules.MISSED}
    review = ExcellenceReview.objects.get()
    results = review_results(review)
    assert review.panel.count() == 5 and results and all(r.ranked.scored_by == 5 for r in results)
    assert [r.ranked.rank for r in results] == sorted(r.ranked.rank for r in results)


def test_typical_cases_seed_into_a_city_seeded_before_the_library(seeded: str, db: Any) -> None:
    from fayuan.typical_cases.models import (
        ExcellenceReview,
        Nomination,
        PanelMember,
        Score,
        TypicalCase,
        TypicalCaseEvent,
    )

    for model in (Score, Nomination, PanelMember, ExcellenceReview, TypicalCaseEvent, TypicalCase):
        model.objects.all().delete()
    output = _seed()
    assert "典型案例：报送" in output and TypicalCase.objects.filter(status="accepted").exists()


def test_rollups_kept_during_the_replay_equal_a_rebuild(seeded: str, db: Any) -> None:
    """The history replays through the services, so the stats subscriber filled the rollups as it went: a rebuild
    from the raw records finds the same cells (seed_demo needs no ``tally_rebuild`` of its own)."""
    from fayuan.stats.models import Tally
    from fayuan.stats.services import tally_rebuild

    def cells() -> dict[tuple[Any, ...], tuple[int, Any]]:
        """Each cell's sums (a cell two transactions created at once is two rows; a correction may leave a zero)."""
        merged: dict[tuple[Any, ...], tuple[int, Any]] = {}
        for *address, n, amount in Tally.objects.values_list("measure", "center_id", "district_id", "month", "key",
                                                             "count", "amount"):
            count, total = merged.get(tuple(address), (0, 0))
            merged[tuple(address)] = (count + n, total + amount)
        return {k: v for k, v in merged.items() if v != (0, 0)}

    kept = cells()
    assert {"applications", "aided", "closed", "deadline"} <= {c[0] for c in kept}
    tally_rebuild()
    rebuilt = cells()
    differ = sorted((k, kept.get(k), rebuilt.get(k)) for k in set(kept) | set(rebuilt) if kept.get(k) != rebuilt.get(k))
    assert not differ, differ[:20]


def test_every_aided_case_counts_for_a_district_with_a_population(seeded: str, db: Any) -> None:
    """The aid rate (plan point 8: persons aided per 10,000 residents) has a denominator for every cell."""
    from fayuan.org.models import District
    from fayuan.stats.models import Tally
    from fayuan.stats.tests.test_demo_dashboard import day_with_figures

    year = day_with_figures().year  # this year, unless it is too young to have aided anyone (1 January, 00:05)
    aided = Tally.objects.filter(measure="aided", month__year=year)
    assert aided.exists() and not aided.filter(district__isnull=True).exists()
    for district in District.objects.filter(pk__in=aided.values("district_id")):
        population = district.population_in(year)
        assert population is not None and population.population > 100_000, district
