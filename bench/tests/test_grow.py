"""The grower (bench/grow.py): its pure parts, and one small grow on PostgreSQL checked end to end (consultations,
documents and their numbers, audit entries the verifier accepts). Run with ``.venv/bin/pytest bench/tests``.

The grow needs a PostgreSQL database with a migrated demo city. Migrating and seeding one takes about a minute, so
it is done once into ``fayuan_grower_test_template`` (rebuilt when the migrations change) and every run grows a
fresh copy of it (CREATE DATABASE … TEMPLATE: a second). Skipped when no PostgreSQL answers at PG_URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bench.grow import (
    AGE_DAYS,
    DEFAULT_AGE_DAYS,
    PATHS,
    STATUSES,
    DeferredIndexes,
    _receipts,
    placeholder_pdf,
    status_bands,
)

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("GROWER_TEST_PG", "postgres://postgres@127.0.0.1:5432")
# One pair per pytest-xdist worker: two workers may each run a test of this module, and the databases are dropped
# and made again by the fixture.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEMPLATE, TARGET = f"fayuan_grower_test_template{_WORKER}", f"fayuan_grower_test{_WORKER}"
SEED = ("import sys; from pathlib import Path; from bench.server import app_env, django_setup, prepare; "
        "django_setup(app_env(database_url=sys.argv[1], media_root=Path(sys.argv[2]))); prepare(persons=40)")


def test_rebuilding_a_partitioned_parents_index_drops_only() -> None:
    parent = "CREATE INDEX core_audite_object__83eb8a_idx ON ONLY public.core_auditentry USING btree (object_type)"
    assert DeferredIndexes.rebuildable(parent) == (
        "CREATE INDEX IF NOT EXISTS core_audite_object__83eb8a_idx ON public.core_auditentry USING btree (object_type)")
    plain = ("CREATE UNIQUE INDEX uniq_document_number ON public.cases_document USING btree (number) "
             "WHERE ((number)::text <> ''::text)")
    assert DeferredIndexes.rebuildable(plain) == plain.replace("INDEX ", "INDEX IF NOT EXISTS ", 1)
    # A column or a predicate that happens to say "only" is left alone: only the table's ONLY goes.
    odd = 'CREATE INDEX i ON ONLY public.t USING btree (" ON ONLY ")'
    assert DeferredIndexes.rebuildable(odd) == 'CREATE INDEX IF NOT EXISTS i ON public.t USING btree (" ON ONLY ")'


def test_receipts_run_forward_in_time_and_carry_the_status() -> None:
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    keys = _receipts(random.Random(1), 2000, now)
    assert keys == sorted(keys) and len(keys) == 2000
    statuses = {STATUSES[k & 31] for k in keys}
    assert statuses <= set(PATHS) and {"archived", "refused", "in_progress"} <= statuses
    oldest = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=keys[0] >> 5)
    assert now - dt.timedelta(days=3 * 365 + 1) < oldest < now


def test_receipts_put_each_status_only_at_the_ages_it_can_have() -> None:
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    keys = _receipts(random.Random(2), 20_000, now)
    ages: dict[str, float] = {}
    for key in keys:
        status = STATUSES[key & 31]
        age = (now - (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=key >> 5))).days
        ages[status] = max(ages.get(status, 0), age)
    for status, oldest in ages.items():
        assert oldest <= AGE_DAYS.get(status, DEFAULT_AGE_DAYS), status
    assert ages["in_progress"] > 300 and ages["archived"] > 1000  # a year in handling; three years of history
    open_share = sum(STATUSES[k & 31] in ("assigned", "agreement_signed", "in_progress", "closing_submitted")
                     for k in keys) / len(keys)
    assert 0.06 < open_share < 0.10  # a year's open cases over three years' history (it was 0.24)
    # As many cases received in each of the three years.
    years = [sum(1 for k in keys if lo <= (now - (dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
                                                  + dt.timedelta(microseconds=k >> 5))).days < lo + 365)
             for lo in (0, 365, 730)]
    assert max(years) - min(years) < 0.05 * len(keys)


def test_status_bands_narrow_to_the_final_statuses_with_age() -> None:
    targets = (("received", 2.0), ("in_progress", 17.0), ("archived", 44.0))
    bounds, bands = status_bands(targets)
    assert bounds == [20, 365, DEFAULT_AGE_DAYS]
    assert [statuses for statuses, _ in bands] == [["received", "in_progress", "archived"],
                                                   ["in_progress", "archived"], ["archived"]]
    cum = bands[0][1]  # share per day of life: received lives 20 days, the others a year's window
    assert cum == pytest.approx([2.0 / 20, 2.0 / 20 + 17.0 / 365, 2.0 / 20 + 61.0 / 365])


def test_sample_centers_keep_their_size_and_demo_centers_are_busy() -> None:
    from bench.country import BUSY, sample_center_name, size_of, weights

    assert size_of(sample_center_name(7)) == size_of(sample_center_name(7))  # the same on every grow
    sizes = [size_of(sample_center_name(i)) for i in range(1, 3001)]
    assert 0.9 < sum(sizes) / len(sizes) < 1.1 and max(sizes) / min(sizes) > 10
    names = {1: "镇江市法律援助中心", 2: "京口区法律援助中心", 3: sample_center_name(1)}
    shares = weights({1: 300, 2: 100}, [1, 2, 3], names)
    assert shares[1] == pytest.approx(BUSY * 2 * 0.75) and shares[2] == pytest.approx(BUSY * 2 * 0.25)
    assert shares[3] == size_of(names[3])


def test_placeholder_is_a_small_pdf_naming_its_kind() -> None:
    pdf = placeholder_pdf("receipt")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF") and b"receipt" in pdf
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[xref:].startswith(b"xref") and len(pdf) < 1024


def _psql(sql: str, params: tuple[str, ...] = ()) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
        cursor = conn.execute(sql, params or None)  # type: ignore[arg-type]
        row = cursor.fetchone() if cursor.description else None
        return "" if row is None or row[0] is None else str(row[0])


def _migrations_key() -> str:
    files = sorted(p for p in (ROOT / "fayuan").glob("*/migrations/*.py"))
    h = hashlib.sha256()
    for p in files:
        h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict:
    try:
        _psql("SELECT 1")
    except Exception as exc:
        pytest.skip(f"no PostgreSQL at {PG}: {exc}")
    key = _migrations_key()
    comment = _psql("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (TEMPLATE,))
    media = tmp_path_factory.mktemp("media")
    if comment != key:  # none yet, or made before a migration changed: migrate and seed a small city into it
        _psql(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
        _psql(f'CREATE DATABASE "{TEMPLATE}"')
        seed = [sys.executable, "-c", SEED, f"{PG}/{TEMPLATE}", str(media)]
        subprocess.run(seed, cwd=ROOT, check=True, env=_env())  # noqa: S603 (this interpreter, our own code)
        _psql(f"COMMENT ON DATABASE \"{TEMPLATE}\" IS '{key}'")
    _psql(f'DROP DATABASE IF EXISTS "{TARGET}"')
    _psql(f'CREATE DATABASE "{TARGET}" TEMPLATE "{TEMPLATE}"')
    out = subprocess.run([sys.executable, "-m", "bench.tests.grown", f"{PG}/{TARGET}", str(media)],  # noqa: S603
                         cwd=ROOT, check=True, capture_output=True, text=True, env=_env())
    return json.loads(out.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    # The subprocess sets up Django on the grown database itself; pytest's test settings must not leak into it.
    return {k: v for k, v in os.environ.items() if k not in ("FAYUAN_ENV", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}


def test_grown_deadlines_start_on_the_day_of_china_like_the_service(grown: dict) -> None:
    """A case received at 20:00 UTC was received the next day in China, and its clock counts from there."""
    assert grown["decide_deadlines"] > 100 and grown["wrong_start_days"] == []


def test_grow_writes_about_two_consultations_per_case(grown: dict) -> None:
    assert grown["cases"] == 400
    assert 1.7 < grown["grown_consultations"] / grown["cases"] < 2.3
    assert 0.35 < grown["linked_consultations"] / grown["cases"] < 0.65


def test_grow_issues_the_documents_of_each_path_numbered_without_gaps(grown: dict) -> None:
    assert grown["wrong_documents"] == []
    assert grown["documents"] > 2 * grown["cases"]  # at least the application form and the receipt each
    assert grown["document_gaps"] == [] and grown["case_gaps"] == []
    assert grown["decisions"] == grown["decisions_citing_their_document"] > 0
    assert grown["placeholders_on_disk"] and all(p.startswith("documents/bench/") for p in grown["placeholders"])


def test_grow_writes_audit_entries_the_verifier_accepts(grown: dict) -> None:
    chain = grown["chain"]
    assert chain["ok"], chain["reason"]
    assert chain["unsealed"] == 0 and chain["checked"] == chain["all"] and chain["seals"] > 0
    assert grown["audited_cases"] == grown["cases"]
    assert grown["out_of_order"] == 0  # numbered in time order within each grow
    types = grown["entries_by_type"]
    assert {"cases.case", "cases.document", "intake.consultation", "people.person"} <= set(types)
    assert sum(r["rows"]["audit entries"] for r in grown["runs"]) == grown["entries"]


def test_a_grow_can_write_only_the_recent_days_audit_entries_and_the_chain_still_verifies(grown: dict) -> None:
    recent = grown["audit_days"]
    assert recent["cases"] == 60 and recent["recent_only"] and 0 < recent["entries"] == recent["reported"]
    assert recent["entries"] < 60 * 32 // 2  # full density is ~32 a case; most cases are older than 30 days
    assert recent["chain_ok"] and recent["unsealed"] == 0


def test_deferred_indexes_rebuild_a_partitioned_parents_index_over_its_partitions(grown: dict) -> None:
    part = grown["partitioned"]
    assert " ON ONLY public.bench_part " in part["definition"]  # what pg_indexes says of a partitioned parent
    assert part["dropped"] == 1 and part["left"] == 0  # the parent's index only; its partitions' went with it
    assert part["rebuilt"] == ["bench_part_note"] and part["valid"] and part["attached"] == 2


def test_capacity_sums_a_partitioned_tables_partitions(grown: dict) -> None:
    part = grown["partitioned"]
    assert part["rows"] == 1000 and part["bytes"] > 0


def test_capacity_counts_a_measured_audit_log_like_any_table() -> None:
    from bench.capacity import TableSize, markdown

    sizes = [TableSize("cases_case", 100, 100_000), TableSize("core_auditentry", 3_250, 1_300_000)]
    text = markdown(sizes, 100, cases_per_year=1_000_000, years=1, audit_per_case=None, audit_row_bytes=600,
                    at="t", database="d")
    assert "| core_auditentry | 3,250 | 32.50 | 400 | 13,000 |" in text
    assert "audit log included: 14,000 bytes" in text and "estimated" not in text


def test_the_country_grow_spreads_cases_over_sample_centers_with_providers_enough(grown: dict) -> None:
    country = grown["country"]
    assert country["centers"] == 20 and country["added"] == [country["samples"], 0]  # made once, kept
    assert country["samples_complete"] == country["samples"]  # each with a district, its population and a clerk
    assert country["grown"] == 900 and country["sample_centers_with_cases"] >= country["samples"] - 2
    assert country["demo_mean"] > 2 * country["sample_mean"]  # the demo city's centers are the busy ones
    assert country["received_elsewhere"] == 0 and country["numbered_by_own_prefix"]
    assert country["providers_added"][0] > 0
    loads = country["open_per_provider"].values()
    assert sum(loads) / len(loads) <= country["limit"]
    assert country["chain_ok"], country["chain_reason"]
