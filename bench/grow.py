"""``python -m bench grow --cases N``: grow a PostgreSQL database to N more cases, in bulk, for the at-size pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fayuan_big python -m bench grow --cases 1000000

The services make a case in about 50 statements; a million of them would take hours. This writes the same rows with
PostgreSQL's COPY instead, in batches, so that the pages that list and count them see what a center with years of
history would hold:
- people: half as many as cases, registered at the centers in the shares of the people the demo city already has
  (seed_demo weights them like the districts' population), each with a valid identity card number encrypted, hashed
  and masked by the project's own helpers (core/crypto.py, people/idnumber.py);
- cases: statuses in the demo history's shares (demo/casedata.py TARGETS: mostly archived, refused and in progress,
  a few hundred per center waiting in the queue), case types in its shares, received over the last three years (the
  open ones lately), numbered gap-free per center and year after the last number of ``DocumentCounter`` (series
  ``case``), whose counters are moved on to match;
- for each case the events of the path that leads to its status (workflow.py actions), the decision and the
  assignment where the path has them, and the statutory deadlines the path starts: met by the event that stops them,
  cancelled by a withdrawal, open (some overdue) where the case waits.
No audit entries: the audit chain is the services' own and a bulk write must not pretend to be one.
An empty database is migrated and seeded (a small demo city, no history) first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

BATCH = 20_000  # cases per transaction: memory stays flat, a failure loses one batch

# The actions from receipt to each final status (cases/workflow.py), with the status each one leaves.
PATHS: dict[str, tuple[str, ...]] = {
    "at_station": (),
    "received": (),
    "under_review": ("start_review",),
    "supplement_requested": ("start_review", "request_supplement"),
    "aid_first": ("start_review", "provide_aid_first"),
    "granted": ("start_review", "grant"),
    "refused": ("start_review", "refuse"),
    "objection": ("start_review", "refuse", "object"),
    "assigned": ("start_review", "grant", "assign"),
    "agreement_signed": ("start_review", "grant", "assign", "sign_agreement"),
    "in_progress": ("start_review", "grant", "assign", "sign_agreement", "start_handling"),
    "closing_submitted": ("start_review", "grant", "assign", "sign_agreement", "start_handling", "submit_closing"),
    "closed": ("start_review", "grant", "assign", "sign_agreement", "start_handling", "submit_closing",
               "accept_closing"),
    "archived": ("start_review", "grant", "assign", "sign_agreement", "start_handling", "submit_closing",
                 "accept_closing", "archive"),
    "withdrawn": ("withdraw",),
    "terminated": ("start_review", "grant", "assign", "sign_agreement", "start_handling", "terminate"),
}
LEAVES = {"start_review": "under_review", "request_supplement": "supplement_requested",
          "provide_aid_first": "aid_first", "grant": "granted", "refuse": "refused", "object": "objection",
          "assign": "assigned",
          "sign_agreement": "agreement_signed", "start_handling": "in_progress", "submit_closing": "closing_submitted",
          "accept_closing": "closed", "archive": "archived", "withdraw": "withdrawn", "terminate": "terminated"}
# Deadline rule code -> (the action that starts it, the actions that meet it). Receipt starts the first.
DEADLINES = {
    "decide-application": ("received", ("grant", "refuse", "provide_aid_first")),
    "supplement-materials": ("request_supplement", ()),
    "assign-provider": ("grant", ("assign",)),
    "sign-agreement": ("assign", ("sign_agreement",)),
    "decide-objection": ("object", ()),
}
# How long ago a case in each status was received, at most (days): the queue holds recent applications only.
AGE_DAYS = {"at_station": 5, "received": 20, "supplement_requested": 40, "under_review": 20, "aid_first": 60,
            "granted": 30, "objection": 60, "assigned": 30, "agreement_signed": 60}
DEFAULT_AGE_DAYS = 3 * 365
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕春梅文斌德明俊杰晓东"


def _weighted(r: random.Random, table: Sequence[tuple[str, float]], n: int) -> list[str]:
    codes, weights = zip(*table, strict=True)
    return r.choices(codes, weights=weights, k=n)


def id_number(address_code: str, i: int) -> str:
    """A valid identity card number, distinct for every i below 20,000,000: the index picks the birth date (an
    adult born 1950-2004) and the sequence number."""
    from fayuan.people.idnumber import check_character

    born = dt.date(1950, 1, 1) + dt.timedelta(days=i % 20_000)
    first17 = f"{address_code[:6]:0<6}{born:%Y%m%d}{(i // 20_000) % 1000:03d}"
    return first17 + check_character(first17)


class Copier:
    """COPY rows of one model: every concrete column, the values the caller gives by attribute name and the field's
    default (or the current time for auto_now fields) for the rest, as Django would save them.

    The per-value work is decided once per field, not per row: a value the caller gives goes to psycopg as it is
    (psycopg adapts ints, text, dates, aware datetimes, Decimals and UUIDs exactly as Django's own preparation
    would), except for the fields whose preparation changes the value (JSON); a constant default is prepared once,
    a callable one (a UUID) per row. At ten million cases this loop is most of the grower's Python time."""

    PASS_THROUGH = {"AutoField", "BigAutoField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
                    "SmallIntegerField", "BigIntegerField", "CharField", "TextField", "SlugField", "EmailField",
                    "DateField", "DateTimeField", "BooleanField", "DecimalField", "ForeignKey", "OneToOneField",
                    "UUIDField", "GenericIPAddressField", "TimeField", "DurationField"}

    def __init__(self, model: Any, *, with_pk: bool) -> None:
        from django.db import connection

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)

    def _plan(self) -> list[tuple[str, Any, Any]]:
        """Per field: (attname, how to prepare a given value or None to pass it, the default or a callable)."""
        now = dt.datetime.now(tz=dt.UTC)
        plan = []
        for f in self.fields:
            prepare = (None if f.get_internal_type() in self.PASS_THROUGH
                       else (lambda v, f=f: f.get_db_prep_save(v, self.connection)))
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default: Any = now
            elif f.has_default() and callable(f.default):
                default = partial(_prepared_default, f, self.connection)
            else:  # "" for a text field without a default, None for a nullable one
                default = f.get_db_prep_save(f.get_default(), self.connection)
            plan.append((f.attname, prepare, default))
        return plan

    def copy(self, rows: Iterable[dict[str, Any]]) -> int:
        plan = self._plan()
        n = 0
        with (self.connection.cursor() as cursor,
              cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as cp):
            write = cp.write_row
            for row in rows:
                values = []
                for attname, prepare, default in plan:
                    if attname in row:
                        value = row[attname]
                        values.append(value if prepare is None else prepare(value))
                    else:
                        values.append(default() if callable(default) else default)
                write(values)
                n += 1
        return n


def _prepared_default(field: Any, connection: Any) -> Any:
    return field.get_db_prep_save(field.get_default(), connection)


class DeferredIndexes:
    """Drop the secondary indexes of the tables a large grow fills, and turn off the foreign-key triggers for this
    session, then build the indexes again at the end: PostgreSQL builds a B-tree over ten million rows in one sorted
    pass far faster than it maintains it row by row (and checks a foreign key per row). Indexes that back a
    constraint (primary keys, unique columns) stay, so a duplicate number or identity still fails the grow.

    The definitions wait in the table ``bench_deferred_index`` until they are built, so an interrupted grow loses
    no index: the next grow (or ``restore``) builds what is left there first. ``session_replication_role =
    replica`` needs a superuser, as the bench's own PostgreSQL is; the rows the grower writes refer only to rows
    that exist (it reads them first), so no foreign key is broken while the checks are off."""

    def __init__(self, tables: Sequence[str]) -> None:
        self.tables = list(tables)

    @staticmethod
    def _execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def drop(self) -> int:
        self._execute("CREATE TABLE IF NOT EXISTS bench_deferred_index (name text PRIMARY KEY, definition text)")
        rows = self._execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)", [self.tables])
        for name, definition in rows:
            self._execute("INSERT INTO bench_deferred_index VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, definition])
            self._execute(f'DROP INDEX IF EXISTS "{name}"')
        return len(rows)

    @classmethod
    def restore(cls, *, verbose: bool = True) -> dict[str, float]:
        """Build every index still waiting; returns seconds per index."""
        exists = cls._execute("SELECT to_regclass('bench_deferred_index') IS NOT NULL")[0][0]
        if not exists:
            return {}
        cls._execute("SET maintenance_work_mem = '1GB'")
        seconds: dict[str, float] = {}
        for name, definition in cls._execute("SELECT name, definition FROM bench_deferred_index ORDER BY name"):
            t0 = time.monotonic()
            cls._execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                         .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
            cls._execute("DELETE FROM bench_deferred_index WHERE name = %s", [name])
            seconds[name] = round(time.monotonic() - t0, 1)
            if verbose:
                print(f"  索引 {name}：{seconds[name]} 秒", flush=True)
        return seconds


def grow(cases: int, *, seed: int = 1, verbose: bool = True, defer_indexes: bool | None = None) -> dict[str, Any]:
    """Add ``cases`` cases (and half as many people) to the configured PostgreSQL database; returns counts and
    seconds. ``defer_indexes`` (by default: when the grow at least doubles the cases) drops the secondary indexes of
    the tables it fills and builds them again at the end (``DeferredIndexes``)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Count

    from fayuan.accounts.models import User
    from fayuan.cases.models import Assignment, Case, CaseEvent, Decision, DocumentCounter
    from fayuan.cases.numbering import SERIES_CASE, format_number
    from fayuan.consultations.models import Consultation
    from fayuan.core.crypto import encrypt_text, lookup_hash
    from fayuan.deadlines.models import Deadline, DeadlineRule
    from fayuan.demo import casedata
    from fayuan.org.models import Center, Provider
    from fayuan.people.idnumber import mask
    from fayuan.people.models import Person

    if connection.vendor != "postgresql":
        raise SystemExit("bench grow 需要 PostgreSQL（COPY）。")
    began = time.monotonic()
    r = random.Random(seed)  # noqa: S311 (reproducible synthetic data, not security)
    now = dt.datetime.now(tz=dt.UTC)
    weights = dict(Person.objects.values("intake_center").annotate(n=Count("id")).values_list("intake_center", "n"))
    centers = {c.pk: c for c in Center.objects.select_related("district", "seat_district").filter(pk__in=weights)}
    if not centers:
        raise SystemExit("数据库中没有登记人员的中心：请先运行 seed_demo。")
    center_ids = sorted(centers)
    center_weights = [weights[c] for c in center_ids]
    staff: dict[int, int | None] = {c: User.objects.filter(center_id=c, is_active=True).order_by("id")
                                    .values_list("id", flat=True).first() for c in center_ids}
    anyone = User.objects.order_by("id").values_list("id", flat=True).first()
    providers: dict[int, list[int]] = defaultdict(list)
    for pid, home in Provider.objects.values_list("id", "home_center_id"):
        providers[home].append(pid)
    all_providers = [p for ps in providers.values() for p in ps]
    if not all_providers:
        raise SystemExit("数据库中没有法律援助人员：请先运行 seed_demo。")
    rules: dict[str, DeadlineRule] = {}
    for code in DEADLINES:
        rule = (DeadlineRule.objects.filter(code=code, effective_to__isnull=True).order_by("-effective_from").first()
                or DeadlineRule.objects.filter(code=code).order_by("-effective_from").first())
        if rule is not None:
            rules[code] = rule
    case_type = ContentType.objects.get_for_model(Case)
    counters = {(c, y): n for c, y, n in DocumentCounter.objects.filter(series=SERIES_CASE)
                .values_list("center_id", "year", "last_number")}
    known_hashes = set(Person.objects.exclude(id_number_hash=None).values_list("id_number_hash", flat=True))

    def next_id(model: Any) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 (model table)
            return int(cursor.fetchone()[0])

    def move_sequence(model: Any) -> None:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
                           [table])

    copiers = {m: Copier(m, with_pk=m in (Person, Case)) for m in (Person, Case, CaseEvent, Decision, Assignment,
                                                                     Deadline, Consultation)}
    timings: dict[str, float] = defaultdict(float)
    t0 = time.monotonic()
    DeferredIndexes.restore(verbose=verbose)  # what an interrupted grow left unbuilt
    if defer_indexes is None:
        defer_indexes = cases >= Case.objects.count()
    deferred = DeferredIndexes([m._meta.db_table for m in copiers])
    if defer_indexes:
        dropped = deferred.drop()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no per-row foreign-key checks
        if verbose:
            print(f"  暂时删除 {dropped} 个二级索引，最后重建", flush=True)
    timings["drop indexes"] = time.monotonic() - t0
    counts: dict[str, int] = defaultdict(int)
    person_base = int(Person.objects.count())
    numbers_used = 0  # identity numbers drawn so far, skipped ones included: a batch must not draw a previous one's

    for start in range(0, cases, BATCH):
        size = min(BATCH, cases - start)
        with transaction.atomic():
            # People: half as many as cases, at the centers in the same shares as the cases.
            t0 = time.monotonic()
            first_person = next_id(Person)
            person_rows: list[dict[str, Any]] = []
            people_at: dict[int, list[int]] = defaultdict(list)
            for k in range(max(1, size // 2)):
                center = centers[r.choices(center_ids, weights=center_weights)[0]]
                district = center.district or center.seat_district
                i = person_base + numbers_used + k + 7_000_000  # away from the demo's own numbers
                number = id_number(district.code if district else "321100", i)
                digest = lookup_hash(number)
                if digest in known_hashes:
                    continue
                pk = first_person + len(person_rows)
                people_at[center.pk].append(pk)
                born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
                person_rows.append({
                    "id": pk, "name": r.choice(SURNAMES) + r.choice(GIVEN) + r.choice(("", r.choice(GIVEN))),
                    "id_number_encrypted": encrypt_text(number), "id_number_hash": digest,
                    "id_number_masked": mask(number), "gender": "M" if int(number[16]) % 2 else "F",
                    "birth_date": born, "address": f"{district.name if district else ''}某街道{r.randint(1, 200)}号",
                    "intake_center_id": center.pk, "created_by_id": staff[center.pk] or anyone,
                })
            counts["persons"] += copiers[Person].copy(person_rows)
            numbers_used += max(1, size // 2)
            move_sequence(Person)
            timings["persons"] += time.monotonic() - t0

            # Cases, in order of receipt, numbered after each center's and year's counter.
            t0 = time.monotonic()
            statuses = _weighted(r, casedata.TARGETS, size)
            types = _weighted(r, casedata.CASE_TYPES, size)
            planned = []
            for status, kind in zip(statuses, types, strict=True):
                center_id = r.choices([c for c in center_ids if people_at[c]],
                                      weights=[w for c, w in zip(center_ids, center_weights, strict=True)
                                               if people_at[c]])[0]
                age = r.uniform(0, AGE_DAYS.get(status, DEFAULT_AGE_DAYS))
                planned.append((now - dt.timedelta(days=age), center_id, status, kind))
            planned.sort()
            first_case = next_id(Case)
            case_rows, event_rows, decision_rows, assignment_rows, deadline_rows = [], [], [], [], []
            consultation_rows: list[dict[str, Any]] = []
            for n, (received_at, center_id, status, kind) in enumerate(planned):
                pk = first_case + n
                year = received_at.astimezone(casedata_tz()).year
                counters[(center_id, year)] = serial = counters.get((center_id, year), 0) + 1
                case_number = format_number(center=centers[center_id], year=year, number=serial, series=SERIES_CASE)
                path = PATHS[status]
                provider = None
                if "assign" in path:
                    pool = providers.get(center_id) or all_providers
                    provider = pool[r.randrange(len(pool))]
                criminal = kind == "criminal"
                case_rows.append({
                    "id": pk, "number": case_number, "center_id": center_id, "channel": "counter", "status": status,
                    "applicant_id": people_at[center_id][r.randrange(len(people_at[center_id]))],
                    "case_type": kind, "criminal_stage": "trial" if criminal else "",
                    "criminal_ground": "none" if criminal else "", "matter": "" if criminal else "wages",
                    "matter_summary": "涉嫌盗窃" if criminal else "追索劳动报酬", "household_size": r.randint(1, 5),
                    "household_monthly_income": Decimal(r.randrange(0, 800_000)) / 100, "provider_id": provider,
                    "received_at": received_at, "received_by_id": staff[center_id], "created_at": received_at,
                    "updated_at": received_at,
                })
                actor = staff[center_id] or anyone
                # Consultations: about one per case, half of them the consultation that led to this application.
                for linked in (True, False):
                    if r.random() < 0.5:
                        consultation_rows.append({
                            "channel": "counter", "center_id": center_id, "person_id": case_rows[-1]["applicant_id"],
                            "matter": "wages", "question": "拖欠工资如何维权？",
                            "advice": "可申请劳动仲裁，并申请法律援助。",
                            "referred_to_application": linked, "case_id": pk if linked else None,
                            "recorded_by_id": actor, "occurred_at": received_at - dt.timedelta(days=r.uniform(0, 10)),
                        })
                event_rows.append({"case_id": pk, "kind": "received", "from_status": "",
                                   "to_status": "at_station" if status == "at_station" else "received",
                                   "actor_id": actor, "at": received_at})
                at, before, when = received_at, "received", {"received": received_at}
                for action in path:
                    at = min(at + dt.timedelta(hours=r.uniform(2, 72)), now)
                    when[action] = at
                    event_rows.append({"case_id": pk, "kind": action, "from_status": before,
                                       "to_status": LEAVES[action], "actor_id": actor, "at": at})
                    before = LEAVES[action]
                    if action in ("grant", "refuse"):
                        decision_rows.append({"case_id": pk, "kind": action, "reasons": "批量生成（基准）",
                                              "eligibility": {}, "decided_by_id": actor, "decided_at": at})
                    if action == "assign":
                        assignment_rows.append({"case_id": pk, "provider_id": provider, "method": "rotation",
                                                "assigned_by_id": actor, "assigned_at": at,
                                                "is_active": status != "terminated"})
                if status == "at_station":
                    continue
                open_due: list[dt.date] = []  # the case's next_due, as the deadlines service keeps it
                for code, (starts, stops) in DEADLINES.items():
                    rule = rules.get(code)
                    if rule is None or starts not in when:
                        continue
                    started = when[starts]
                    met = next(((a, when[a]) for a in stops if a in when), None)
                    row = {"subject_type_id": case_type.pk, "subject_id": pk, "reference": case_number,
                           "rule_id": rule.pk, "center_id": center_id, "started_on": started.date(),
                           "due_on": started.date() + dt.timedelta(days=rule.length),
                           "explanation": f"自{started.date()}起{rule.length}日（批量生成）"}
                    if met is not None:
                        row.update(met_at=met[1], met_event=met[0])
                    elif status in ("withdrawn", "terminated", "archived", "closed", "refused", "closing_submitted",
                                    "in_progress", "agreement_signed") or (
                                        code == "decide-application" and status == "supplement_requested"):
                        if status == "supplement_requested":  # paused while the materials are awaited
                            row.update(paused_at=when["request_supplement"], days_left=max(
                                0, rule.length - (when["request_supplement"].date() - started.date()).days))
                        else:
                            row.update(cancelled_at=at)
                    if "met_at" not in row and "cancelled_at" not in row:
                        open_due.append(started.date() + dt.timedelta(days=rule.length))
                    deadline_rows.append(row)
                case_rows[-1]["next_due"] = min(open_due, default=None)
            timings["cases (python)"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["cases"] += copiers[Case].copy(case_rows)
            move_sequence(Case)
            timings["cases (copy)"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["events"] += copiers[CaseEvent].copy(event_rows)
            counts["decisions"] += copiers[Decision].copy(decision_rows)
            counts["assignments"] += copiers[Assignment].copy(assignment_rows)
            counts["deadlines"] += copiers[Deadline].copy(deadline_rows)
            counts["consultations"] += copiers[Consultation].copy(consultation_rows)
            timings["events, decisions, assignments, deadlines"] += time.monotonic() - t0
            for (center_id, year), last in counters.items():
                DocumentCounter.objects.update_or_create(center_id=center_id, year=year, series=SERIES_CASE,
                                                         defaults={"last_number": last})
        if verbose:
            done = start + size
            print(f"  {done:,} / {cases:,} 件（{done / (time.monotonic() - began):,.0f} 件/秒）", flush=True)
    t0 = time.monotonic()
    index_seconds: dict[str, float] = {}
    if defer_indexes:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
        index_seconds = DeferredIndexes.restore(verbose=verbose)
        timings["build indexes"] = time.monotonic() - t0
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        for model in (Person, Case, CaseEvent, Deadline, Decision, Assignment, Consultation):
            # VACUUM as well: a database that has been running is vacuumed (autovacuum), so its index-only scans skip
            # the heap; straight after a bulk load nothing is marked all-visible and counts read every row.
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    timings["vacuum analyze"] = time.monotonic() - t0
    seconds = time.monotonic() - began
    return {"cases": counts["cases"], "rows": dict(counts), "seconds": round(seconds, 1),
            "cases_per_second": round(counts["cases"] / seconds) if seconds else 0,
            "timings": {k: round(v, 1) for k, v in timings.items()},
            "indexes_deferred": bool(defer_indexes),
            "slowest_indexes": dict(sorted(index_seconds.items(), key=lambda kv: -kv[1])[:5]) if defer_indexes else {}}


def casedata_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")  # the numbering year is the year in China


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench grow", description="批量生成 N 件案件（PostgreSQL）")
    parser.add_argument("--cases", type=int, required=True, help="要增加的案件数")
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fayuan_bench_grow"),
        help="目标数据库（默认取 DATABASE_URL；空库先迁移并生成演示城市）")
    parser.add_argument("--persons", type=int, default=2000, help="空库时 seed_demo 的人员数（默认 2000）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defer-indexes", choices=("auto", "yes", "no"), default="auto",
                        help="暂删二级索引、最后重建（auto：案件数至少翻倍时）")
    args = parser.parse_args(argv)
    import json
    import tempfile
    from pathlib import Path

    from .server import app_env, django_setup

    django_setup(app_env(database_url=args.database_url,
                         media_root=Path(tempfile.gettempdir()) / "fayuan-grow-media"))
    _ensure_database(args.database_url)
    from fayuan.org.models import Center

    if not Center.objects.exists() or not _has_people():
        from .server import prepare

        print("空库：迁移并生成演示城市……", flush=True)
        prepare(persons=args.persons)
    defer = {"auto": None, "yes": True, "no": False}[args.defer_indexes]
    result = grow(args.cases, seed=args.seed, defer_indexes=defer)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _has_people() -> bool:
    from fayuan.people.models import Person

    return Person.objects.exists()


def _ensure_database(url: str) -> None:
    """Create the target database when the server does not have it yet; migrate it either way."""
    from io import StringIO
    from urllib.parse import urlsplit

    import psycopg
    from django.core.management import call_command

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, stdout=StringIO())

