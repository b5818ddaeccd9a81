"""``python -m bench grow --cases N``: grow a PostgreSQL database to N more cases, in bulk, for the at-size pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fayuan_big python -m bench grow --cases 1000000

The services make a case in about 50 statements; a million of them would take hours. This writes the same rows with
PostgreSQL's COPY instead, in batches, so that the pages that list and count them see what a center with years of
history would hold:
- centers: the demo city's (its people's shares), or with ``--centers N`` the country's: N centers of different
  sizes, each with providers enough for its open cases (bench/country.py);
- people: half as many as cases, registered at the centers in the shares of the cases (without ``--centers``: of
  the people the demo city already has, which seed_demo weights like the districts' population), each with a valid
  identity card number encrypted, hashed and masked by the project's own helpers (core/crypto.py,
  people/idnumber.py);
- cases: as many every day over the last three years, each in a status a case of its age can be in, so that the
  last twelve months hold the demo history's shares (demo/casedata.py TARGETS: mostly archived, refused and in
  progress, the queue's statuses only in the last weeks; ``_receipts``), case types in its shares, in time order
  over the whole grow (batch after batch moves forward in time), numbered gap-free
  per center and year after the last number of ``DocumentCounter`` (series ``case``), whose counters are moved on;
- for each case the events of the path that leads to its status (workflow.py actions), the decision and the
  assignment where the path has them, and the statutory deadlines the path starts: met by the event that stops them,
  cancelled by a withdrawal, open (some overdue) where the case waits;
- consultations, two a case on average: half the cases have the one that led to the application (before the
  receipt), and every case 0-4 others (1.5 on average) in its time span, on the demo city's channels and topics
  (demo/consultations.py), some by the applicant, most by anonymous callers;
- the documents the services issue on the path (``document_issue`` calls: the application form and the receipt at
  receipt, the supplement notice, the grant or refusal decision, the assignment notice, the termination decision),
  the numbered kinds numbered gap-free per center and year of issue in the order of issue, after the last number of
  series ``doc``, whose counters are moved on; a decision carries its document's number. Files: the services render
  a document's PDF on first use and store one file per row; millions of PDFs would be most of the grow's time and
  disk for pages that never open them, so every row points at one small shared placeholder PDF per kind, written
  once under MEDIA_ROOT (``documents/bench/<kind>.pdf``). The model asks for no unique file and keeps no checksum
  or size; opening a grown document shows the placeholder, not a rendering of its data;
- the audit entries the services would write for all of that (``audit_record`` callers: the case created and
  updated per event, each document and consultation created, the person registered, staff reading the applicant
  before the receipt and the case before each action), each at the moment of what it records, with the project's own
  ``compute_hash`` as digest, numbered straight from the identity sequence (``seq``, moved on with setval) in time
  order over the whole grow, then sealed (``audit_seal``) so that ``verify_chain`` accepts the log. Taking numbers
  without the append lock is safe only because nothing else appends meanwhile: a bench tool, never to be run while a
  server writes to the database.
An empty database is migrated and seeded (a small demo city, no history) first. The tables may be range-partitioned
(PostgreSQL): COPY into a partitioned parent routes the rows; see ``DeferredIndexes`` for the indexes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, cast

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
# The deadline events of the services (cases/workflow.py transitions' events) that start each clock and that the
# stopping actions emit, as the deadlines service writes them into its audit entries.
START_EVENTS = {"decide-application": "application_received", "supplement-materials": "supplement_requested",
                "assign-provider": "aid_granted", "sign-agreement": "provider_assigned",
                "decide-objection": "objection_filed"}
STOP_EVENTS = {"grant": "decision_made", "refuse": "decision_made", "provide_aid_first": "decision_made",
               "assign": "provider_assigned", "sign_agreement": "agreement_signed"}
CANCEL_REASON = "案件状态变更，期限不再适用"
# How long ago a case in each status was received, at most (days): the queue holds recent applications only, a
# case is handled within a year, and only the final statuses (archived, refused, withdrawn, terminated) are older.
AGE_DAYS = {"at_station": 5, "received": 20, "supplement_requested": 40, "under_review": 20, "aid_first": 60,
            "granted": 30, "objection": 60, "assigned": 30, "agreement_signed": 60, "in_progress": 365,
            "closing_submitted": 60, "closed": 180}
DEFAULT_AGE_DAYS = 3 * 365
WINDOW_DAYS = 365  # the demo history's status shares (casedata.TARGETS) are those of its last twelve months
STATUSES = tuple(PATHS)  # a status's index here is packed with its case's receipt time (``_receipts``)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The decision each deciding action records (cases/services/review.py) and the document each action issues (the
# services' document_issue calls); receipt issues APPLICATION_DOCUMENTS (cases/services/creation.py).
DECISIONS = {"grant": "grant", "refuse": "refuse", "provide_aid_first": "aid_first"}
ISSUES = {"request_supplement": "supplement_notice", "grant": "grant_decision", "provide_aid_first": "grant_decision",
          "refuse": "refusal_decision", "assign": "assignment_notice", "terminate": "termination_decision"}
# Consultations besides the one that led to the application: 0..4 a case, Poisson-like, 1.5 on average.
EXTRA_CONSULTATIONS = (0.22, 0.33, 0.25, 0.13, 0.07)
BROWSING_READS = 6.5  # reads of a case or its applicant besides those before each action, on average
LEAD_DAYS = 10  # the linked consultation comes up to this many days before the receipt
AUDIT_COLUMNS = ("seq", "occurred_at", "actor_id", "actor_username", "actor_role", "action", "object_type",
                 "object_id", "detail", "digest")
_CALLERS = ("先生", "女士", "大爷", "阿姨")
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
        from django.db import DEFAULT_DB_ALIAS, connections

        # The connection itself, not ``django.db.connection``: that proxy looks the connection up (asgiref) on
        # every attribute, once per prepared value.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = ", ".join(self.connection.ops.quote_name(f.column) for f in self.fields)

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


    def copy_tuples(self, attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY rows given as tuples of the ``attnames`` values, in that order; the other fields get their defaults
        as in ``copy``. For the largest table (the audit log, about thirty rows a case): no dict per row, no lookup
        per field and row."""
        plan = {attname: (prepare, default) for attname, prepare, default in self._plan()}
        by_attname = {f.attname: f for f in self.fields}
        given = [by_attname[a] for a in attnames]
        rest = [f for f in self.fields if f.attname not in set(attnames)]
        prepares = [(i, plan[a][0]) for i, a in enumerate(attnames) if plan[a][0] is not None]
        defaults = [plan[f.attname][1] for f in rest]
        varying = any(callable(d) for d in defaults)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in [*given, *rest])
        n = 0
        with (self.connection.cursor() as cursor,
              cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as cp):
            write = cp.write_row
            for row in rows:
                values = list(row)
                for i, prepare in prepares:
                    values[i] = prepare(values[i])
                values.extend([d() if callable(d) else d for d in defaults] if varying else defaults)
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
        # The tables' own indexes only: on a partitioned table, the parent's (dropping it drops the partitions'
        # copies, building it again builds them), never a partition's own (``relispartition``).
        rows = self._execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace "
            "JOIN pg_class t ON t.relname = i.tablename AND t.relnamespace = 'public'::regnamespace "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT t.relispartition "
            "AND NOT c.relispartition "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)", [self.tables])
        for name, definition in rows:
            self._execute("INSERT INTO bench_deferred_index VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, definition])
            self._execute(f'DROP INDEX IF EXISTS "{name}"')
        return len(rows)

    @staticmethod
    def rebuildable(definition: str) -> str:
        """The statement that builds a dropped index again from its ``pg_indexes.indexdef``: IF NOT EXISTS (a
        restore may be resumed), and without ONLY. A partitioned parent's index reads ``CREATE INDEX n ON ONLY
        public.t ...``; built that way it would cover no partition and stay invalid. Without ONLY PostgreSQL builds
        it on every partition as well and attaches them."""
        return (definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1)
                .replace(" ON ONLY ", " ON ", 1))

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
            cls._execute(cls.rebuildable(definition))
            cls._execute("DELETE FROM bench_deferred_index WHERE name = %s", [name])
            seconds[name] = round(time.monotonic() - t0, 1)
            if verbose:
                print(f"  索引 {name}：{seconds[name]} 秒", flush=True)
        return seconds


def grow(cases: int, *, seed: int = 1, verbose: bool = True, defer_indexes: bool | None = None,
         audit_days: int | None = None, centers_total: int | None = None) -> dict[str, Any]:
    """Add ``cases`` cases (and half as many people) to the configured PostgreSQL database; returns counts and
    seconds. ``defer_indexes`` (by default: when the grow at least doubles the cases) drops the secondary indexes of
    the tables it fills and builds them again at the end (``DeferredIndexes``). Not while a server writes to the
    database: the audit entries take their numbers straight from the identity sequence (see the module docstring).

    ``audit_days``: write the audit entries of the last so many days only (all when None). The audit log is about
    10.6 KB a case (docs/capacity.md): ten million cases' full log would be ~100 GiB, more than the bench machine's
    disk; the live year at full density is what the pages and the sealer work on.

    ``centers_total``: spread the cases over that many centers, with providers to match (``bench/country.py``);
    without it, over the demo city's centers in the shares of its people."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Count, Min

    from fayuan.accounts.models import User
    from fayuan.cases.models import Assignment, Case, CaseEvent, Decision, Document, DocumentCounter
    from fayuan.cases.numbering import SERIES_CASE, SERIES_DOCUMENT, format_number
    from fayuan.cases.services.creation import APPLICATION_DOCUMENTS
    from fayuan.cases.services.documents import NUMBERED
    from fayuan.cases.workflow import OPEN_STATUSES
    from fayuan.consultations.models import Consultation
    from fayuan.core.audit import audit_seal, compute_hash
    from fayuan.core.crypto import encrypt_text, lookup_hash
    from fayuan.core.models import AuditEntry
    from fayuan.deadlines.models import Deadline, DeadlineRule
    from fayuan.demo import casedata
    from fayuan.demo.consultations import CHANNELS, TOPICS
    from fayuan.org.models import Center, Provider, Station
    from fayuan.people.idnumber import mask
    from fayuan.people.models import Person

    from . import country

    if connection.vendor != "postgresql":
        raise SystemExit("bench grow 需要 PostgreSQL（COPY）。")
    began = time.monotonic()
    r = random.Random(seed)  # noqa: S311 (reproducible synthetic data, not security)
    now = dt.datetime.now(tz=dt.UTC)
    china = casedata_tz()
    weights: dict[int, float] = dict(Person.objects.values("intake_center").annotate(n=Count("id"))
                                     .values_list("intake_center", "n"))
    if not weights:
        raise SystemExit("数据库中没有登记人员的中心：请先运行 seed_demo。")
    added_centers = added_providers = 0
    if centers_total is not None:
        added_centers = country.build(centers_total, verbose=verbose)
        names = dict(Center.objects.values_list("id", "name"))
        weights = country.weights(weights, sorted(names), names)
    centers = {c.pk: c for c in Center.objects.select_related("district", "seat_district").filter(pk__in=weights)}
    center_ids = sorted(centers)
    center_weights = list(itertools.accumulate(weights[c] for c in center_ids))  # cumulative
    first_staff = dict(User.objects.filter(center_id__in=center_ids, is_active=True).values("center_id")
                       .annotate(first=Min("id")).values_list("center_id", "first"))
    staff: dict[int, int | None] = {c: first_staff.get(c) for c in center_ids}
    anyone = User.objects.order_by("id").values_list("id", flat=True).first()
    if anyone is None:
        raise SystemExit("数据库中没有账户：请先运行 seed_demo。")
    accounts = {pk: (username, role or "") for pk, username, role in User.objects.filter(
        pk__in=[*staff.values(), anyone]).values_list("id", "username", "role")}
    stations: dict[int, list[int]] = defaultdict(list)
    for sid, center_id in Station.objects.values_list("id", "center_id"):
        stations[center_id].append(sid)
    rules: dict[str, DeadlineRule] = {}
    for code in DEADLINES:
        rule = (DeadlineRule.objects.filter(code=code, effective_to__isnull=True).order_by("-effective_from").first()
                or DeadlineRule.objects.filter(code=code).order_by("-effective_from").first())
        if rule is not None:
            rules[code] = rule
    case_type = ContentType.objects.get_for_model(Case)
    counters = {(c, y): n for c, y, n in DocumentCounter.objects.filter(series=SERIES_CASE)
                .values_list("center_id", "year", "last_number")}
    doc_counters = {(c, y): n for c, y, n in DocumentCounter.objects.filter(series=SERIES_DOCUMENT)
                    .values_list("center_id", "year", "last_number")}
    written = {SERIES_CASE: dict(counters), SERIES_DOCUMENT: dict(doc_counters)}  # as the table holds them
    known_hashes = set(Person.objects.exclude(id_number_hash=None).values_list("id_number_hash", flat=True))
    placeholders = placeholder_files()
    # The object types audit_record stores (the model's label: consultations live in the app labelled "intake").
    CASE, DOCUMENT, CONSULTATION, PERSON, DEADLINE = (m._meta.label_lower for m in (Case, Document, Consultation,
                                                                                     Person, Deadline))
    application_documents = [str(k) for k in APPLICATION_DOCUMENTS]  # plain text: psycopg dumps an Enum's name
    numbered_kinds = {str(k) for k in NUMBERED}
    # Cumulative weights, once: random.choices would add the weights up again on every call.
    topics = [(m, q, a) for m, _, q, a in TOPICS]
    topic_weights = list(itertools.accumulate(w for _, w, _, _ in TOPICS))
    channels = [c for c, _ in CHANNELS]
    channel_weights = list(itertools.accumulate(w for _, w in CHANNELS))
    extra_counts = range(len(EXTRA_CONSULTATIONS))
    extra_weights = list(itertools.accumulate(EXTRA_CONSULTATIONS))

    def next_id(model: Any) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 (model table)
            return int(cursor.fetchone()[0])

    def move_sequence(model: Any) -> None:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
                           [table])

    with connection.cursor() as cursor:
        # The last number the sequence gave (a rolled-back append's too), or the highest entry: never reuse either.
        cursor.execute("SELECT GREATEST(COALESCE(pg_sequence_last_value(pg_get_serial_sequence('core_auditentry', "
                       "'seq')::regclass), 0), (SELECT COALESCE(MAX(seq), 0) FROM core_auditentry))")
        last_seq = int(cursor.fetchone()[0])

    copiers = {m: Copier(m, with_pk=m in (Person, Case, Consultation, Document, Deadline, AuditEntry))
               for m in (Person, Case, CaseEvent, Decision, Assignment, Deadline, Consultation, Document, AuditEntry)}
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
    t0 = time.monotonic()
    receipts = _receipts(r, cases, now)
    timings["receipt times"] = time.monotonic() - t0
    if centers_total is not None:  # providers enough for the open cases each center will hold
        will_open = sum(1 for key in receipts if STATUSES[key & 31] in OPEN_STATUSES)
        total = center_weights[-1]
        open_now = dict(Case.objects.filter(status__in=OPEN_STATUSES).values("center_id").annotate(n=Count("id"))
                        .values_list("center_id", "n"))
        added_providers = country.staff_providers(
            {c: open_now.get(c, 0) + will_open * weights[c] / total for c in center_ids}, seed=seed, verbose=verbose)
    providers: dict[int, list[int]] = defaultdict(list)
    for pid, home in Provider.objects.values_list("id", "home_center_id"):
        providers[home].append(pid)
    all_providers = [p for ps in providers.values() for p in ps]
    if not all_providers:
        raise SystemExit("数据库中没有法律援助人员：请先运行 seed_demo。")
    counts: dict[str, int] = defaultdict(int)
    person_base = int(Person.objects.count())
    numbers_used = 0  # identity numbers drawn so far, skipped ones included: a batch must not draw a previous one's
    # Audit entries waiting for their number: (at, order of writing, actor, action, object type, object id, detail).
    # Each batch writes those older than anything a later batch can write, in time order, and keeps the rest.
    pending: list[tuple[Any, ...]] = []
    order = 0

    audit_from = None if audit_days is None else now - dt.timedelta(days=audit_days)

    def audit(at: dt.datetime, actor: int | None, action: str, obj: str, pk: int, detail: dict[str, Any]) -> None:
        nonlocal order
        if audit_from is not None and at < audit_from:
            return
        order += 1
        pending.append((at, order, actor, action, obj, str(pk), detail))

    def write_audit(before: dt.datetime | None) -> int:
        """Number, digest and copy the waiting entries older than ``before`` (all of them when None)."""
        nonlocal last_seq
        pending.sort()  # (at, order) is unique: the details are never compared
        k = len(pending) if before is None else bisect.bisect_left(pending, (before,))
        due, pending[:] = pending[:k], pending[k:]
        rows = []
        for at, _, actor, action, obj, pk, detail in due:
            last_seq += 1
            username, role = accounts.get(actor, ("", "")) if actor is not None else ("", "")
            entry = _Entry(seq=last_seq, occurred_at=at, actor_id=actor, actor_username=username, actor_role=role,
                           action=action, object_type=obj, object_id=pk, detail=detail)
            rows.append((last_seq, at, actor, username, role, action, obj, pk, detail,
                         compute_hash(cast(Any, entry))))
        n = copiers[AuditEntry].copy_tuples(AUDIT_COLUMNS, rows)
        if rows:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('core_auditentry', 'seq'), %s)", [last_seq])
        return n

    next_consultation = next_document = 0  # set at the start of each batch
    consultation_rows: list[dict[str, Any]] = []
    document_rows: list[dict[str, Any]] = []
    # (issued at, row, its audit detail, the decision that cites its number or None): numbered in time order.
    numbered: list[tuple[dt.datetime, int, dict[str, Any], dict[str, Any], dict[str, Any] | None]] = []
    registered: dict[int, dt.datetime] = {}  # person -> the first moment a case or consultation names them

    def consult(at: dt.datetime, center_id: int, person: int | None, case: int | None, actor: int,
                *, linked: bool) -> None:
        nonlocal next_consultation
        pk = next_consultation
        next_consultation += 1
        if linked:  # the consultation that led to this application, as before
            channel, station, (matter, question, advice) = "counter", None, (
                "wages", "拖欠工资如何维权？", "可申请劳动仲裁，并申请法律援助。")
        else:
            channel = r.choices(channels, cum_weights=channel_weights)[0]
            station = r.choice(stations[center_id]) if channel == "station" and stations[center_id] else None
            if channel == "station" and station is None:
                channel = "counter"
            matter, question, advice = r.choices(topics, cum_weights=topic_weights)[0]
        consultation_rows.append({
            "id": pk, "channel": channel, "center_id": center_id, "station_id": station, "person_id": person,
            "caller_name": "" if person else r.choice(SURNAMES) + r.choice(_CALLERS), "matter": matter,
            "question": question, "advice": advice, "referred_to_application": linked, "case_id": case,
            "recorded_by_id": actor, "occurred_at": at,
        })
        if person is not None and (person not in registered or at < registered[person]):
            registered[person] = at
        audit(at, actor, "create", CONSULTATION, pk, {"channel": channel, "person": person})

    def issue(at: dt.datetime, case: int, center_id: int, kind: str, actor: int,
              decision: dict[str, Any] | None = None) -> None:
        nonlocal next_document
        pk = next_document
        next_document += 1
        row = {"id": pk, "case_id": case, "kind": kind, "number": "", "file": placeholders[kind],
               "created_by_id": actor, "created_at": at}
        document_rows.append(row)
        detail = {"kind": kind, "number": ""}
        if kind in numbered_kinds:
            numbered.append((at, pk, row, detail, decision))
            row["center_id"] = center_id  # for the numbering below; not a column of the table
        audit(at, actor, "create", DOCUMENT, pk, detail)


    for start in range(0, cases, BATCH):
        size = min(BATCH, cases - start)
        with transaction.atomic():
            # People: half as many as cases, at the centers in the same shares as the cases. Copied after the cases
            # are planned: each is registered just before the first thing that names them.
            t0 = time.monotonic()
            first_person = next_id(Person)
            person_rows: list[dict[str, Any]] = []
            people_at: dict[int, list[int]] = defaultdict(list)
            for k in range(max(1, size // 2)):
                center = centers[r.choices(center_ids, cum_weights=center_weights)[0]]
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
            numbers_used += max(1, size // 2)
            timings["persons"] += time.monotonic() - t0

            # Cases, in order of receipt (the whole grow's order), numbered after each center's and year's counter.
            t0 = time.monotonic()
            types = _weighted(r, casedata.CASE_TYPES, size)
            planned = []
            open_centers = [c for c in center_ids if people_at[c]]  # those with people registered in this batch
            open_weights = list(itertools.accumulate(weights[c] for c in center_ids if people_at[c]))
            for key, kind in zip(receipts[start:start + size], types, strict=True):
                center_id = r.choices(open_centers, cum_weights=open_weights)[0]
                planned.append((_EPOCH + dt.timedelta(microseconds=key >> 5), center_id, STATUSES[key & 31], kind))
            first_case = next_id(Case)
            next_consultation = next_id(Consultation)
            next_document = next_id(Document)
            next_deadline = next_id(Deadline)
            case_rows, event_rows, decision_rows, assignment_rows, deadline_rows = [], [], [], [], []
            consultation_rows.clear()
            document_rows.clear()
            numbered.clear()
            registered.clear()
            for n, (received_at, center_id, status, kind) in enumerate(planned):
                pk = first_case + n
                year = received_at.astimezone(china).year
                counters[(center_id, year)] = serial = counters.get((center_id, year), 0) + 1
                case_number = format_number(center=centers[center_id], year=year, number=serial, series=SERIES_CASE)
                path = PATHS[status]
                provider = None
                if "assign" in path:
                    pool = providers.get(center_id) or all_providers
                    provider = pool[r.randrange(len(pool))]
                criminal = kind == "criminal"
                applicant = people_at[center_id][r.randrange(len(people_at[center_id]))]
                case_rows.append({
                    "id": pk, "number": case_number, "center_id": center_id, "channel": "counter", "status": status,
                    "applicant_id": applicant,
                    "case_type": kind, "criminal_stage": "trial" if criminal else "",
                    "criminal_ground": "none" if criminal else "", "matter": "" if criminal else "wages",
                    "matter_summary": "涉嫌盗窃" if criminal else "追索劳动报酬", "household_size": r.randint(1, 5),
                    "household_monthly_income": Decimal(r.randrange(0, 800_000)) / 100, "provider_id": provider,
                    "received_at": received_at, "received_by_id": staff[center_id], "created_at": received_at,
                    "updated_at": received_at,
                })
                actor = staff[center_id] or anyone
                # The consultation that led to this application, half the time (before the receipt).
                if r.random() < 0.5:
                    consult(received_at - dt.timedelta(days=r.uniform(0, LEAD_DAYS)), center_id, applicant, pk,
                            actor, linked=True)
                # Receipt, as case_create writes it: the case, its first event, the application form and the receipt;
                # the clerk has looked the applicant up first (people/selectors.py audits the read).
                audit(received_at, actor, "read", PERSON, applicant, {})
                if applicant not in registered or received_at < registered[applicant]:
                    registered[applicant] = received_at
                audit(received_at, actor, "create", CASE, pk, {"channel": "counter"})
                event_rows.append({"case_id": pk, "kind": "received", "from_status": "",
                                   "to_status": "at_station" if status == "at_station" else "received",
                                   "actor_id": actor, "at": received_at})
                audit(received_at, actor, "update", CASE, pk, {"event": "received"})
                for doc in application_documents:
                    issue(received_at, pk, center_id, doc, actor)
                at, before, when = received_at, "received", {"received": received_at}
                for action in path:
                    previous = at
                    at = min(at + dt.timedelta(hours=r.uniform(2, 72)), now)
                    when[action] = at
                    # Staff open the case (cases/selectors.py audits the read), then act on it.
                    audit(previous + (at - previous) * r.uniform(0.5, 1.0), actor, "read", CASE, pk, {})
                    event_rows.append({"case_id": pk, "kind": action, "from_status": before,
                                       "to_status": LEAVES[action], "actor_id": actor, "at": at})
                    audit(at, actor, "update", CASE, pk,
                          {"action": action, "from": before, "to": LEAVES[action]})
                    before = LEAVES[action]
                    decision = None
                    if action in DECISIONS:
                        decision = {"case_id": pk, "kind": DECISIONS[action], "reasons": "批量生成（基准）",
                                    "eligibility": {}, "decided_by_id": actor, "decided_at": at}
                        decision_rows.append(decision)
                    if action == "assign":
                        assignment_rows.append({"case_id": pk, "provider_id": provider, "method": "rotation",
                                                "assigned_by_id": actor, "assigned_at": at,
                                                "is_active": status != "terminated"})
                    if action in ISSUES:
                        issue(at, pk, center_id, ISSUES[action], actor, decision)
                # Other consultations in the case's time (about one and a half a case): the applicant again now
                # and then, mostly other callers, on every channel, on the demo city's topics.
                span = max(at - received_at, dt.timedelta(days=1))
                for _ in range(r.choices(extra_counts, cum_weights=extra_weights)[0]):
                    person = applicant if r.random() < 0.3 else None
                    asked = received_at + span * r.random()
                    if asked > now:  # not clamped to now: 9,205 of a center's consultations tied at the grow's start
                        asked = received_at + (now - received_at) * r.random()  # and newest first sorted them all
                    consult(asked, center_id, person, None, actor, linked=False)
                # Staff open the case, now and then its applicant's record, while it runs (the queue, the case page):
                # as many reads as bring the grown log to the demo city's entries per case (bench/capacity.py
                # DEMO_AUDIT_ENTRIES_PER_CASE). The demo replays no browsing, but as many entries come there from
                # the notifications, quality reviews and subsidies the grower does not write.
                for _ in range(r.randint(0, int(2 * BROWSING_READS))):
                    seen_at = min(received_at + span * r.random(), now)
                    if r.random() < 0.8:
                        audit(seen_at, actor, "read", CASE, pk, {})
                    else:
                        audit(seen_at, actor, "read", PERSON, applicant, {})
                if status == "at_station":
                    continue
                open_due: list[dt.date] = []  # the case's next_due, as the deadlines service keeps it
                for code, (starts, stops) in DEADLINES.items():
                    rule = rules.get(code)
                    if rule is None or starts not in when:
                        continue
                    started = when[starts]
                    # Days are China's, as the deadlines service counts them (a start at 20:00 UTC is the next day).
                    started_on = started.astimezone(china).date()
                    met = next(((a, when[a]) for a in stops if a in when), None)
                    due_on = started_on + dt.timedelta(days=rule.length)
                    # As the deadlines service audits a clock: started, then met, paused or cancelled.
                    audit(started, actor, "create", DEADLINE, next_deadline, {
                        "rule": code, "event": START_EVENTS[code], "subject": CASE, "subject_id": str(pk),
                        "due_on": due_on.isoformat(), "provisional": False, "due_at": None})
                    row = {"id": next_deadline, "subject_type_id": case_type.pk, "subject_id": pk,
                           "reference": case_number,
                           "rule_id": rule.pk, "center_id": center_id, "started_on": started_on,
                           "due_on": due_on, "explanation": f"自{started_on}起{rule.length}日（批量生成）"}
                    if met is not None:
                        row.update(met_at=met[1], met_event=met[0])
                        audit(met[1], actor, "update", DEADLINE, next_deadline, {
                            "event": STOP_EVENTS[met[0]], "met_at": met[1].isoformat(),
                            "late": met[1].astimezone(china).date() > due_on})
                    elif status in ("withdrawn", "terminated", "archived", "closed", "refused", "closing_submitted",
                                    "in_progress", "agreement_signed") or (
                                        code == "decide-application" and status == "supplement_requested"):
                        if status == "supplement_requested":  # paused while the materials are awaited
                            paused_on = when["request_supplement"].astimezone(china).date()
                            row.update(paused_at=when["request_supplement"],
                                       days_left=max(0, rule.length - (paused_on - started_on).days))
                            audit(when["request_supplement"], actor, "update", DEADLINE, next_deadline, {
                                "event": "supplement_requested", "paused": True, "days_left": row["days_left"],
                                "due_on": due_on.isoformat()})
                        else:
                            row.update(cancelled_at=at)
                            audit(at, actor, "update", DEADLINE, next_deadline,
                                  {"cancelled": True, "reason": CANCEL_REASON})
                    if not {"met_at", "cancelled_at", "paused_at"} & row.keys():  # running (not paused)
                        open_due.append(due_on)
                    deadline_rows.append(row)
                    next_deadline += 1
                case_rows[-1]["next_due"] = min(open_due, default=None)
            # Document numbers in the order the documents were issued, per center and (China's) year of issue.
            numbered.sort(key=lambda d: (d[0], d[1]))
            for at, _, row, detail, decision in numbered:
                issuer = cast(int, row.pop("center_id"))
                year = at.astimezone(china).year
                doc_counters[(issuer, year)] = serial = doc_counters.get((issuer, year), 0) + 1
                row["number"] = detail["number"] = format_number(center=centers[issuer], year=year,
                                                                 number=serial, series=SERIES_DOCUMENT)
                if decision is not None:
                    decision["document_number"] = row["number"]
            # People: registered (and audited) a few minutes before the first thing that names them; one no case
            # names, at the start of the batch.
            for person_row in person_rows:
                at = registered.get(person_row["id"], planned[0][0]) - dt.timedelta(minutes=r.uniform(1, 30))
                person_row["created_at"] = person_row["updated_at"] = at
                audit(at, person_row["created_by_id"], "create", PERSON, person_row["id"],
                      {"fields": ["address", "id_number", "name"], "tags": []})
            timings["cases (python)"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["persons"] += copiers[Person].copy(person_rows)
            move_sequence(Person)
            timings["persons"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["cases"] += copiers[Case].copy(case_rows)
            move_sequence(Case)
            timings["cases (copy)"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["events"] += copiers[CaseEvent].copy(event_rows)
            counts["decisions"] += copiers[Decision].copy(decision_rows)
            counts["assignments"] += copiers[Assignment].copy(assignment_rows)
            counts["deadlines"] += copiers[Deadline].copy(deadline_rows)
            move_sequence(Deadline)
            timings["events, decisions, assignments, deadlines"] += time.monotonic() - t0
            t0 = time.monotonic()
            counts["consultations"] += copiers[Consultation].copy(consultation_rows)
            move_sequence(Consultation)
            counts["documents"] += copiers[Document].copy(document_rows)
            move_sequence(Document)
            timings["consultations, documents"] += time.monotonic() - t0
            t0 = time.monotonic()
            # Nothing a later batch writes is older than its first receipt less the longest lead (a consultation
            # up to LEAD_DAYS before, the person registered up to half an hour before that).
            later = start + size
            counts["audit entries"] += write_audit(
                None if later >= cases else _EPOCH + dt.timedelta(microseconds=receipts[later] >> 5)
                - dt.timedelta(days=LEAD_DAYS, hours=1))
            timings["audit entries"] += time.monotonic() - t0
            t0 = time.monotonic()
            for series, last_numbers in ((SERIES_CASE, counters), (SERIES_DOCUMENT, doc_counters)):
                # Only the counters this batch moved, in one statement: at 3,000 centers an update_or_create per
                # counter and batch (some 20,000) was two thirds of the grow's wall time.
                moved = [DocumentCounter(center_id=center_id, year=year, series=series, last_number=last)
                         for (center_id, year), last in last_numbers.items()
                         if written[series].get((center_id, year)) != last]
                DocumentCounter.objects.bulk_create(moved, batch_size=5000, update_conflicts=True,
                                                    unique_fields=["center", "year", "series"],
                                                    update_fields=["last_number"])
                written[series].update(last_numbers)
            timings["counters"] += time.monotonic() - t0
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
    # Sealed as the scheduler's sealer would (every minute): nothing else appends while the bench grows.
    seals = len(audit_seal())
    timings["audit seal"] = time.monotonic() - t0
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        for model in copiers:
            # VACUUM as well: a database that has been running is vacuumed (autovacuum), so its index-only scans skip
            # the heap; straight after a bulk load nothing is marked all-visible and counts read every row.
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    timings["vacuum analyze"] = time.monotonic() - t0
    seconds = time.monotonic() - began
    return {"cases": counts["cases"], "rows": dict(counts), "seals": seals, "seconds": round(seconds, 1),
            "centers": len(center_ids), "centers added": added_centers, "providers added": added_providers,
            "cases_per_second": round(counts["cases"] / seconds) if seconds else 0,
            "timings": {k: round(v, 1) for k, v in timings.items()},
            "indexes_deferred": bool(defer_indexes),
            "slowest_indexes": dict(sorted(index_seconds.items(), key=lambda kv: -kv[1])[:5]) if defer_indexes else {}}


def _receipts(r: random.Random, cases: int, now: dt.datetime) -> list[int]:
    """Every case's moment of receipt and status, sorted by time over the whole grow, packed into one integer each
    (microseconds since the epoch << 5 | the status's index in STATUSES; ten million of them hold ~400 MB):
    batch after batch then moves forward in time, so the audit entries can be numbered in time order.

    As many cases every day over the last three years; a case of a given age is in one of the statuses a case of
    that age can be in (``AGE_DAYS``), each as often as its share of the demo's last twelve months spread over the
    days it can last (``status_bands``). So the last year holds about the demo's mix (the queue's statuses, which
    live a few weeks, about half their share: those weeks cannot hold a year's worth of them beside the rest received
    then), and a grow keeps about 8% of its cases open, not the 24% it would if every status could be three years
    old."""
    bounds, bands = status_bands(casedata_targets())
    index = {s: i for i, s in enumerate(STATUSES)}
    epoch_now = (now - _EPOCH) // dt.timedelta(microseconds=1)
    day = 86_400_000_000
    keys = []
    for _ in range(cases):
        age = r.uniform(0, DEFAULT_AGE_DAYS)
        statuses, cum = bands[bisect.bisect_left(bounds, age)]
        keys.append((epoch_now - int(age * day)) << 5 | index[r.choices(statuses, cum_weights=cum)[0]])
    keys.sort()
    return keys


def status_bands(targets: Sequence[tuple[str, float]]) -> tuple[list[int], list[tuple[list[str], list[float]]]]:
    """The ages at which a status stops being possible, ascending, and for the ages up to each: the statuses a case
    that old can be in with their cumulative weights (share / the days the status can last, at most the window)."""
    bounds = sorted({AGE_DAYS.get(s, DEFAULT_AGE_DAYS) for s, _ in targets})
    bands = []
    for bound in bounds:
        alive = [(s, share / min(AGE_DAYS.get(s, DEFAULT_AGE_DAYS), WINDOW_DAYS)) for s, share in targets
                 if AGE_DAYS.get(s, DEFAULT_AGE_DAYS) >= bound]
        bands.append(([s for s, _ in alive], list(itertools.accumulate(w for _, w in alive))))
    return bounds, bands


def casedata_targets() -> Sequence[tuple[str, float]]:
    from fayuan.demo import casedata

    return casedata.TARGETS


class _Entry:
    """What ``core.audit._canonical`` reads of an entry: the digest is the project's own ``compute_hash`` over
    these, without building a model instance per entry (at ten million cases, over a hundred million of them)."""

    __slots__ = ("action", "actor_id", "actor_role", "actor_username", "detail", "ip_address", "object_id",
                 "object_type", "occurred_at", "prev_hash", "purpose", "seq")

    def __init__(self, *, seq: int, occurred_at: dt.datetime, actor_id: int | None, actor_username: str,
                 actor_role: str, action: str, object_type: str, object_id: str, detail: dict[str, Any]) -> None:
        self.seq, self.occurred_at, self.actor_id = seq, occurred_at, actor_id
        self.actor_username, self.actor_role, self.action = actor_username, actor_role, action
        self.object_type, self.object_id, self.detail = object_type, object_id, detail
        self.purpose, self.ip_address, self.prev_hash = "", None, ""


PLACEHOLDER_DIR = "documents/bench"


def placeholder_pdf(title: str) -> bytes:
    """A one-page PDF naming the document kind (ASCII only: the standard Helvetica font, no font file)."""
    text = f"BT /F1 14 Tf 72 720 Td (fayuan bench placeholder: {title}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def placeholder_files() -> dict[str, str]:
    """The shared placeholder file of each document kind under MEDIA_ROOT (written once), by kind."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from fayuan.cases.models import DocumentKind

    names = {}
    for kind in DocumentKind.values:
        name = f"{PLACEHOLDER_DIR}/{kind}.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(placeholder_pdf(kind)))
        names[kind] = name
    return names


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
    parser.add_argument("--audit-days", type=int, default=None,
                        help="只写最近 N 天的审计记录（默认全部；千万件时全部审计记录约需 100 GiB 磁盘）")
    parser.add_argument("--centers", type=int, default=None,
                        help="按全国模型分布到 N 个中心（补足样本中心和承办人员，见 bench/country.py；"
                             "默认只用演示城市的中心）")
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
    result = grow(args.cases, seed=args.seed, defer_indexes=defer, audit_days=args.audit_days,
                  centers_total=args.centers)
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

