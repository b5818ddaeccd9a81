"""Run by ``test_grow.py`` in a subprocess against a PostgreSQL database that holds a small demo city: grows it
twice (indexes deferred, then not) and prints what the test checks, as JSON. Not a test module itself: the grower
needs PostgreSQL and Django set up on that database, which pytest's own (SQLite) settings are not.

    python -m bench.tests.grown postgres://postgres@127.0.0.1:5432/fayuan_grower_test /tmp/media
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


def main(url: str, media: str) -> dict[str, Any]:
    from bench.server import app_env, django_setup

    django_setup(app_env(database_url=url, media_root=Path(media)))
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from bench.grow import ISSUES, PATHS, grow
    from fayuan.cases.models import Case, Decision, Document, DocumentCounter
    from fayuan.cases.numbering import SERIES_CASE, SERIES_DOCUMENT
    from fayuan.cases.services.creation import APPLICATION_DOCUMENTS
    from fayuan.consultations.models import Consultation
    from fayuan.core.audit import verify_chain
    from fayuan.core.models import AuditEntry
    from fayuan.deadlines.models import Deadline

    before_case = Case.objects.aggregate(m=Max("id"))["m"] or 0
    before_seq = AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0
    runs = [grow(300, seed=3, verbose=False)]
    between_seq = AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0
    runs.append(grow(100, seed=4, verbose=False, defer_indexes=False))
    after_seq = AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0
    grown = Case.objects.filter(id__gt=before_case)
    cases = grown.count()

    kinds: dict[int, list[str]] = defaultdict(list)
    for case_id, kind in Document.objects.filter(case__in=grown).values_list("case_id", "kind"):
        kinds[case_id].append(kind)
    wrong_documents = [  # each case's documents are those its path issues, no more, no fewer
        pk for pk, status in grown.values_list("id", "status")
        if sorted(kinds[pk]) != sorted([*map(str, APPLICATION_DOCUMENTS), *(ISSUES[a] for a in PATHS[status]
                                                                            if a in ISSUES)])]

    def gaps(series: str, numbers: list[tuple[int, str]]) -> list[str]:
        """Per center and year: the numbers issued must be exactly 1..the counter's last number."""
        seen: dict[tuple[int, int], list[int]] = defaultdict(list)
        for center, number in numbers:
            m = re.search(r"〔(\d{4})〕第(\d+)号$", number)
            assert m is not None, number
            seen[(center, int(m[1]))].append(int(m[2]))
        last = {(c, y): n for c, y, n in DocumentCounter.objects.filter(series=series)
                .values_list("center_id", "year", "last_number")}
        return [f"{key}: {sorted(got)[:5]}… of {last.get(key)}" for key, got in seen.items()
                if sorted(got) != list(range(1, last.get(key, 0) + 1))]

    documents = list(Document.objects.exclude(number="").values_list("case__center_id", "number"))
    decisions = Decision.objects.filter(case__in=grown)
    cited = set(Document.objects.filter(case__in=grown).values_list("case_id", "number"))
    out_of_order = 0  # within each grow, seq order is time order (the second grow starts in the past again)
    with connection.cursor() as cursor:
        for low, high in ((before_seq, between_seq), (between_seq, after_seq)):
            cursor.execute("SELECT count(*) FROM (SELECT occurred_at < lag(occurred_at) OVER (ORDER BY seq) AS back "
                           "FROM core_auditentry WHERE seq > %s AND seq <= %s) t WHERE back", [low, high])
            out_of_order += cursor.fetchone()[0]
    entries = AuditEntry.objects.filter(seq__gt=before_seq)
    counted = {"entries": entries.count(), "audited_cases": entries.filter(object_type="cases.case",
                                                                          action="create").count()}
    report = verify_chain()
    placeholders = {name for name in Document.objects.filter(case__in=grown).values_list("file", flat=True)}
    # The application's clock starts on the day of receipt in China, as the deadlines service counts it.
    china = timezone.get_current_timezone()
    received = dict(grown.values_list("id", "received_at"))
    decide = Deadline.objects.filter(subject_id__in=received, rule__code="decide-application")
    wrong_start_days = [pk for pk, started_on in decide.values_list("subject_id", "started_on")
                        if started_on != received[pk].astimezone(china).date()]
    result = {
        "runs": runs, "cases": cases,
        "grown_consultations": sum(r["rows"]["consultations"] for r in runs),
        "linked_consultations": Consultation.objects.filter(case__in=grown).count(),
        "documents": sum(r["rows"]["documents"] for r in runs),
        "wrong_documents": wrong_documents[:10],
        "document_gaps": gaps(SERIES_DOCUMENT, documents),
        "case_gaps": gaps(SERIES_CASE, list(Case.objects.values_list("center_id", "number"))),
        "decisions": decisions.count(),
        "decisions_citing_their_document": sum((d.case_id, d.document_number) in cited for d in decisions),
        "entries": counted["entries"],
        "entries_by_type": dict(Counter(entries.filter(seq__lte=after_seq).values_list("object_type", flat=True))),
        "audited_cases": counted["audited_cases"],
        "out_of_order": out_of_order,
        "chain": {"ok": report.ok, "reason": report.reason, "checked": report.checked, "unsealed": report.unsealed,
                  "seals": report.seals, "all": AuditEntry.objects.count()},
        "placeholders": sorted(placeholders),
        "placeholders_on_disk": all((Path(media) / name).is_file() for name in placeholders),
        "decide_deadlines": decide.count(), "wrong_start_days": wrong_start_days[:10],
    }
    # Then a grow that writes the last 30 days' audit entries only (the 10M run's disk budget), and the whole chain.
    since = grow(60, seed=5, verbose=False, defer_indexes=False, audit_days=30)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(occurred_at) >= now() - interval '30 days' - interval '1 hour', count(*) "
                       "FROM core_auditentry WHERE seq > %s", [after_seq])
        recent_only, recent_entries = cursor.fetchone()
    again = verify_chain()
    return result | {"audit_days": {"recent_only": recent_only, "entries": recent_entries,
                                    "reported": since["rows"].get("audit entries", 0), "cases": since["cases"],
                                    "chain_ok": again.ok, "unsealed": again.unsealed}}


def partitioned() -> dict[str, Any]:
    """A range-partitioned table as the partitioning work makes them: the grower's index deferral must drop and
    rebuild the parent's index (valid, attached to every partition), and capacity must sum the partitions."""
    from django.db import connection

    from bench.capacity import measure
    from bench.grow import DeferredIndexes

    with connection.cursor() as cursor:
        for sql in ("DROP TABLE IF EXISTS bench_part",
                    "CREATE TABLE bench_part (id bigint, at timestamptz NOT NULL, note text) PARTITION BY RANGE (at)",
                    "CREATE TABLE bench_part_2025 PARTITION OF bench_part "
                    "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                    "CREATE TABLE bench_part_default PARTITION OF bench_part DEFAULT",
                    "CREATE INDEX bench_part_note ON bench_part (note)",
                    "INSERT INTO bench_part SELECT n, '2024-07-01'::timestamptz + n * interval '1 day', 'x' || n "
                    "FROM generate_series(1, 1000) n",
                    "ANALYZE bench_part"):
            cursor.execute(sql)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'bench_part_note'")
        definition = cursor.fetchone()[0]
        dropped = DeferredIndexes(["bench_part"]).drop()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'bench_part%%'")
        left = cursor.fetchone()[0]
        rebuilt = list(DeferredIndexes.restore(verbose=False))
        cursor.execute("SELECT i.indisvalid, (SELECT count(*) FROM pg_inherits h WHERE h.inhparent = i.indexrelid) "
                       "FROM pg_index i WHERE i.indexrelid = 'bench_part_note'::regclass")
        valid, attached = cursor.fetchone()
    size = measure(("bench_part",))
    return {"definition": definition, "dropped": dropped, "left": left, "rebuilt": rebuilt, "valid": valid,
            "attached": attached, "rows": size[0].rows if size else None,
            "bytes": size[0].bytes_total if size else None}


def country() -> dict[str, Any]:
    """Two grows of the country model (bench/country.py) on the grown city: sample centers made once, with their
    district, population and clerk, the cases spread over them, providers enough for the open cases."""
    from django.db.models import Count, F

    from bench.country import OPEN_PER_PROVIDER, SAMPLE
    from bench.grow import grow
    from fayuan.cases.models import Case
    from fayuan.cases.workflow import OPEN_STATUSES
    from fayuan.core.audit import verify_chain
    from fayuan.org.models import Center, Provider

    before = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first = grow(600, seed=6, verbose=False, defer_indexes=False, centers_total=20)
    second = grow(300, seed=7, verbose=False, defer_indexes=False, centers_total=20)
    samples = Center.objects.filter(name__startswith=SAMPLE)
    grown = Case.objects.filter(id__gt=before)
    per_center = dict(grown.values("center_id").annotate(n=Count("id")).values_list("center_id", "n"))
    demo_ids = set(Center.objects.exclude(name__startswith=SAMPLE).values_list("id", flat=True))
    sample_ids = set(samples.values_list("id", flat=True))
    open_at = dict(Case.objects.filter(status__in=OPEN_STATUSES).values("center_id").annotate(n=Count("id"))
                   .values_list("center_id", "n"))
    providers_at = dict(Provider.objects.filter(active=True).values("home_center_id").annotate(n=Count("id"))
                        .values_list("home_center_id", "n"))
    chain = verify_chain()
    return {
        "centers": Center.objects.count(), "added": [first["centers added"], second["centers added"]],
        "providers_added": [first["providers added"], second["providers added"]],
        "samples": samples.count(),
        "samples_complete": samples.filter(district__isnull=False, district__populations__population__gt=0,
                                           users__role="center_reviewer").distinct().count(),
        "grown": grown.count(),
        "demo_mean": sum(per_center.get(c, 0) for c in demo_ids) / len(demo_ids),
        "sample_mean": sum(per_center.get(c, 0) for c in sample_ids) / len(sample_ids),
        "sample_centers_with_cases": sum(1 for c in sample_ids if per_center.get(c)),
        "received_elsewhere": grown.exclude(received_by__center_id=F("center_id")).count(),
        "open_per_provider": {c: open_at.get(c, 0) / providers_at.get(c, 1) for c in demo_ids | sample_ids},
        "limit": OPEN_PER_PROVIDER,
        "numbered_by_own_prefix": all(number.startswith(prefix) for number, prefix in grown.filter(
            center_id__in=sample_ids).values_list("number", "center__doc_prefix")),
        "chain_ok": chain.ok, "chain_reason": chain.reason,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]) | {"partitioned": partitioned(), "country": country()},
                     ensure_ascii=False,
                     default=str))
