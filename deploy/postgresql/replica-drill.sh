#!/usr/bin/env bash
# Streaming-replica drill on two private PostgreSQL instances (never the running cluster): a primary with the
# settings of deploy/postgresql/fayuan.conf, a replication slot, a standby made with pg_basebackup -R, then the
# checks: the standby is read-only and in recovery, a commit on the primary shows on the standby (lag printed),
# and the statistical report run with REPLICA_DATABASE_URL reads from the standby.
#   sudo deploy/postgresql/replica-drill.sh /var/backups/fayuan/fayuan-<stamp>.dump
set -euo pipefail
DUMP="${1:?a pg_dump -Fc file to load}"
HERE="$(cd "$(dirname "$0")" && pwd)"
APP="$(cd "$HERE/../.." && pwd)"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
WORK="$(mktemp -d /tmp/fayuan-replica.XXXXXX)"
P1="${PORT:-55432}"; P2=$((P1 + 1))
chown postgres:postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }
sql() { local port="$1"; shift; as_pg "$BIN/psql" -h "$WORK" -p "$port" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
cleanup() {
  for d in standby primary; do as_pg "$BIN/pg_ctl" -D "$WORK/$d" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

as_pg mkdir "$WORK/wal-archive"
as_pg "$BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$WORK/primary/postgresql.conf" <<CONF
include '$HERE/fayuan.conf'
port = $P1
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
shared_buffers = 128MB
effective_cache_size = 1GB
huge_pages = off
archive_command = 'WAL_ARCHIVE=$WORK/wal-archive $HERE/archive-wal.sh %p %f'
CONF
# initdb --auth=trust already lets 127.0.0.1 replicate; a real primary names the standby's address in pg_hba.conf:
#   host replication replicator 10.0.0.12/32 scram-sha-256
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
sql "$P1" -c "CREATE DATABASE fayuan"
as_pg "$BIN/pg_restore" -h "$WORK" -p "$P1" -U postgres -d fayuan --no-owner --no-privileges "$DUMP"
sql "$P1" -c "SELECT pg_create_physical_replication_slot('reports_replica')" >/dev/null

# The standby: a base backup that writes its own primary_conninfo and standby.signal (-R), on the slot.
as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U postgres -D "$WORK/standby" -R -X stream -S reports_replica -c fast
cat >> "$WORK/standby/postgresql.conf" <<CONF
port = $P2
archive_mode = off
CONF
as_pg "$BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w start >/dev/null
echo "standby in recovery: $(sql "$P2" -c 'SELECT pg_is_in_recovery()'); primary sees: $(sql "$P1" -c "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")"
sql "$P1" -d fayuan -c "CREATE TABLE drill (n int)"
start=$(date +%s%N)
sql "$P1" -d fayuan -c "INSERT INTO drill VALUES (1)"
until [[ "$(sql "$P2" -d fayuan -c "SELECT count(*) FROM drill" 2>/dev/null || true)" == "1" ]]; do sleep 0.01; done
echo "a commit on the primary visible on the standby after $(( ($(date +%s%N) - start) / 1000000 )) ms"
if sql "$P2" -d fayuan -c "INSERT INTO drill VALUES (2)" 2>/dev/null; then echo "STANDBY ACCEPTED A WRITE" >&2; exit 1; fi
echo "a write on the standby is refused (read-only)"

# The application: reports from the standby, everything else from the primary.
DATABASE_URL="postgres://postgres@127.0.0.1:$P1/fayuan" REPLICA_DATABASE_URL="postgres://postgres@127.0.0.1:$P2/fayuan" \
  "${FAYUAN_MANAGE:-$APP/deploy/fayuan-manage}" shell -c '
from django.db import connections
from django.test.utils import CaptureQueriesContext
from fayuan.core.replica import reports_reads
from fayuan.org.models import Center
from fayuan.stats import reports
scope = reports.Scope("全市", tuple(Center.objects.values_list("pk", flat=True)), None)
with CaptureQueriesContext(connections["replica"]) as on_replica, CaptureQueriesContext(connections["default"]) as on_default:
    with reports_reads():
        report = reports.build_report(scope, reports.parse_period("2026"))
with connections["replica"].cursor() as c:
    c.execute("SELECT pg_is_in_recovery()")
    standby = c.fetchone()[0]
tally = lambda qs: sum("stats_tally" in q["sql"] for q in qs.captured_queries)
aided = report.sections[0].rows[0].count
print(f"report built ({aided} aided in 2026); rollup queries on the replica {tally(on_replica)}, on the primary {tally(on_default)}; the replica connection is a standby: {standby}")
assert tally(on_replica) >= 1 and tally(on_default) == 0 and standby
'
echo "replica drill passed"
