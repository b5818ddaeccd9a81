"""Shared personas: two districts of the reference data with a center and a station each, an account for every
role, and people registered through the services. Tests reach states by calling services, never by writing fields
directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from fayuan.accounts.models import User
from fayuan.org.models import (
    Center,
    CenterLevel,
    District,
    Organ,
    OrganKind,
    Provider,
    ProviderKind,
    Station,
    StationType,
)
from fayuan.org.testing import put_in_defense_pool
from fayuan.people import idnumber
from fayuan.people.services import person_link_account, person_register

# No per-example time limit: Hypothesis's default (200 ms) is a timed assertion, and an example of a pure rule
# failed it once on a machine busy with other work. The properties are what the tests check; speed is bench/'s.
hypothesis_settings.register_profile("fayuan", deadline=None)
hypothesis_settings.load_profile("fayuan")

PASSWORD = "Test-password-2026"  # noqa: S105  (test accounts only)


def make_district(code: str, name: str) -> tuple[District, Center, Station]:
    """A center and a station in one of the districts the migrations load (with the real minimum wage history)."""
    district = District.objects.get(code=code, name=name)
    center = Center.objects.create(name=f"{name}法律援助中心", doc_prefix=name[:1] + "法援",
                                   level=CenterLevel.DISTRICT, district=district, address=f"{name}某路1号")
    station = Station.objects.create(name=f"{name}人民法院工作站", type=StationType.COURT, center=center,
                                     district=district, address=f"{name}法院", latitude=Decimal("32.2"),
                                     longitude=Decimal("119.4"), has_duty_lawyer=True)
    return district, center, station


def make_user(username: str, role: str, **links: Any) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, **links)


def valid_id(seq: int, birth: dt.date = dt.date(1980, 5, 17), area: str = "321102") -> str:
    return idnumber.build(area, birth, seq)


@dataclass
class City:
    district_a: District
    center_a: Center
    station_a: Station
    district_b: District
    center_b: Center
    station_b: Station
    users: dict[str, User]
    person_a: Any
    person_station_a: Any
    person_b: Any
    applicant_person: Any
    organ_a: Organ  # the basic court of district A (its notices go to center A)
    organ_b: Organ

    def user(self, key: str) -> User:
        return self.users[key]


@pytest.fixture
def city(db: Any) -> City:
    district_a, center_a, station_a = make_district("321102", "京口区")
    district_b, center_b, station_b = make_district("321181", "丹阳市")
    organ_a = Organ.objects.create(name="京口区人民法院", kind=OrganKind.COURT, district=district_a, center=center_a)
    organ_b = Organ.objects.create(name="丹阳市人民法院", kind=OrganKind.COURT, district=district_b, center=center_b)
    provider = Provider.objects.create(name="王律师", kind=ProviderKind.LAWYER, license_number="13211200000000001",
                                       home_center=center_a)
    duty = Provider.objects.create(name="李律师", kind=ProviderKind.LAWYER, license_number="13211200000000002",
                                   home_center=center_a)
    put_in_defense_pool(provider, duty)  # criminal cases go only to members of the criminal-defense pool
    users = {
        "reviewer_a": make_user("reviewer_a", "center_reviewer", center=center_a),
        "director_a": make_user("director_a", "center_director", center=center_a),
        "reviewer_b": make_user("reviewer_b", "center_reviewer", center=center_b),
        "clerk_a": make_user("clerk_a", "station_clerk", station=station_a),
        "clerk_b": make_user("clerk_b", "station_clerk", station=station_b),
        "provider_a": make_user("provider_a", "provider", provider=provider),
        "duty_a": make_user("duty_a", "duty_lawyer", provider=duty),
        "organ_a": make_user("organ_a", "organ_liaison", organ=organ_a),
        "bureau": make_user("bureau", "bureau_supervisor"),  # the city bureau
        # The district bureau that set up center A: it decides objections to center A (art. 49).
        "bureau_a": make_user("bureau_a", "bureau_supervisor", district=center_a.district),
        # 三员分立: the system administrator's admin powers come from the role (accounts.backends), not is_superuser.
        "sysadmin": make_user("sysadmin", "system_admin", is_staff=True),
        "secadmin": make_user("secadmin", "security_admin"),
        "auditor": make_user("auditor", "auditor"),
        "applicant": make_user("applicant", "applicant"),
    }
    person_a = person_register(actor=users["reviewer_a"], name="张三", id_number=valid_id(11), phone="13800000001",
                               tag_codes=["low_income_allowance"])
    person_station_a = person_register(actor=users["clerk_a"], name="李四", id_number=valid_id(13))
    person_b = person_register(actor=users["reviewer_b"], name="王五", id_number=valid_id(15, area="321181"))
    applicant_person = person_register(actor=users["reviewer_a"], name="赵六", id_number=valid_id(17))
    applicant_person = person_link_account(actor=users["reviewer_a"], public_id=applicant_person.public_id,
                                           account=users["applicant"])
    return City(district_a, center_a, station_a, district_b, center_b, station_b, users, person_a,
                person_station_a, person_b, applicant_person, organ_a, organ_b)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Tests marked ``postgres`` prove invariants under real concurrency; SQLite serialises writers anyway."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL set; .ci/run does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_rule_cache() -> Any:
    """A test's rolled-back rows must not live on in the per-process rule cache of the next test."""
    from fayuan.core.rulecache import cache_clear
    from fayuan.stats.scope_cells import forget_decoded

    cache_clear()
    forget_decoded()  # SQLite reuses a rolled-back row's id, and a frozen clock its summed_at
    yield
    cache_clear()
    forget_decoded()


@pytest.fixture(autouse=True)
def _audit_seal_export_in_tmp(settings: Any, tmp_path: Any) -> None:
    """The daily seal export appends to a file: each test gets its own, never the checkout's var/."""
    settings.AUDIT_SEAL_EXPORT_PATH = tmp_path / "audit-seals.jsonl"


@pytest.fixture(autouse=True)
def _audit_guard_allows_test_flush(request: Any) -> Any:
    """SQLite empties tables between transactional tests with DELETE, which the append-only trigger refuses.

    Each database test starts with the guard in place; a transactional test drops it at teardown so the flush
    that follows can run. (PostgreSQL flushes with TRUNCATE, which the row triggers do not see.)
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")  # set up before us, flushed after us
    from importlib import import_module

    from django.db import connection

    guard = import_module("fayuan.core.migrations.0005_audit_seals_lock_free_append")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in guard.SQLITE_UP:
                cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    if connection.vendor == "sqlite" and transactional:
        with connection.cursor() as cursor:
            for sql in guard.SQLITE_DOWN:
                cursor.execute(sql)


def close_response(response: Any) -> None:
    """Close a streamed response (it holds its file open) without firing ``request_finished``.

    Closing a response sends that signal, whose handler closes the database connection when it is inside a
    transaction: that would end the test's own transaction on PostgreSQL. The test client mutes the handler
    during a request in the same way.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)


class TaskQueue:
    """The real database queue, worked in this process (the library's own ``run_task``), for tests of tasks."""

    worker_id = "test-worker"

    def results(self) -> Any:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.order_by("enqueued_at", "id")

    def drain(self, limit: int = 500) -> int:
        """Run the tasks that are ready now (as a worker would, best first) until none is left. Returns how many."""
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                        max_tasks=None, worker_id=self.worker_id, excluded_queue_names=[])
        ran = 0
        while ran < limit and (row := DBTaskResult.objects.ready().first()) is not None:
            row.claim(self.worker_id)
            worker.run_task(row)
            ran += 1
        return ran


@pytest.fixture
def task_queue(settings: Any) -> TaskQueue:
    """Switch this test to the database backend (the one development and production use)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    return TaskQueue()


@pytest.fixture
def latest_migrations_after() -> Any:
    """For tests that roll migrations back: going back unapplies every app that depends on the target (on
    PostgreSQL an xdist worker keeps its database, so the tests after it would miss tables); afterwards every app is
    migrated to its latest migration again."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
