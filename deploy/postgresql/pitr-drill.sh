#!/usr/bin/env bash
# Point-in-time recovery drill on a private PostgreSQL instance (never the running cluster): the settings of
# deploy/postgresql/fayuan.conf (memory lowered), WAL archiving through archive-wal.sh, a base backup with
# pg_basebackup, writes before and after a chosen moment, a crash, then a recovery to that moment from the base
# backup and the WAL archive. Prints the timings the runbook quotes (RPO, RTO).
#   sudo deploy/postgresql/pitr-drill.sh /var/backups/fayuan/fayuan-<stamp>.dump    # a dump to start from
# Needs the PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin) and root (the instance runs as postgres).
set -euo pipefail
DUMP="${1:?a pg_dump -Fc file to load}"
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
WORK="$(mktemp -d /tmp/fayuan-pitr.XXXXXX)"
PORT="${PORT:-55432}"
chown postgres:postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }
psql_() { as_pg "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
cleanup() { as_pg "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

as_pg mkdir "$WORK/wal-archive"
as_pg "$BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$WORK/data/postgresql.conf" <<CONF
include '$HERE/fayuan.conf'
# The drill's own instance: its port and socket, memory for a shared test machine, its own archive.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
shared_buffers = 128MB
effective_cache_size = 1GB
maintenance_work_mem = 128MB
huge_pages = off
archive_command = 'WAL_ARCHIVE=$WORK/wal-archive $HERE/archive-wal.sh %p %f'
CONF
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
psql_ -c "CREATE DATABASE fayuan"
t=$(now); as_pg "$BIN/pg_restore" -h "$WORK" -p "$PORT" -U postgres -d fayuan --no-owner --no-privileges -j 2 "$DUMP"
echo "restore of the dump (pg_restore -j 2): $(since "$t") s, database $(psql_ -c "SELECT pg_size_pretty(pg_database_size('fayuan'))")"

t=$(now); as_pg "$BIN/pg_basebackup" -h "$WORK" -p "$PORT" -U postgres -D "$WORK/base" -Ft -z -X stream -c fast
echo "base backup (pg_basebackup -Ft -z -X stream): $(since "$t") s, $(du -sh "$WORK/base" | cut -f1)"

# RPO of the archive alone: a commit on a quiet database reaches the archive at the next segment switch, which
# archive_timeout forces.
psql_ -d fayuan -c "CREATE TABLE drill (label text, at timestamptz DEFAULT clock_timestamp())"
psql_ -d fayuan -c "SELECT pg_switch_wal()" >/dev/null
sleep 2
before=$(ls "$WORK/wal-archive" | wc -l)
psql_ -d fayuan -c "INSERT INTO drill VALUES ('kept')"
t=$(now)
while [[ $(ls "$WORK/wal-archive" | wc -l) -le $before ]]; do sleep 0.5; done
echo "a commit on a quiet database reached the WAL archive after $(since "$t") s (archive_timeout $(psql_ -c 'SHOW archive_timeout'))"

sleep 1
target=$(psql_ -c "SELECT clock_timestamp()")
sleep 1
psql_ -d fayuan -c "INSERT INTO drill VALUES ('after the target')"
counts_sql="SELECT (SELECT count(*) FROM cases_case) || '/' || (SELECT count(*) FROM core_auditentry) || '/' || (SELECT count(*) FROM cases_caseevent)"
expected=$(psql_ -d fayuan -c "$counts_sql")
psql_ -d fayuan -c "DELETE FROM cases_caseevent"        # the accident the recovery undoes
psql_ -c "SELECT pg_switch_wal()" >/dev/null
sleep 3   # the switched segment archived
as_pg "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null   # the host is lost

t=$(now)
as_pg mv "$WORK/data" "$WORK/data.lost"
as_pg mkdir -m 0700 "$WORK/data"
as_pg tar -xzf "$WORK/base/base.tar.gz" -C "$WORK/data"
as_pg tar -xzf "$WORK/base/pg_wal.tar.gz" -C "$WORK/data/pg_wal"
as_pg cp "$WORK/data.lost/postgresql.conf" "$WORK/data/postgresql.conf"
cat >> "$WORK/data/postgresql.conf" <<CONF
restore_command = 'cp $WORK/wal-archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
as_pg touch "$WORK/data/recovery.signal"
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/recovery.log" -w -t 600 start >/dev/null
until [[ "$(psql_ -c 'SELECT pg_is_in_recovery()')" == "f" ]]; do sleep 0.5; done
echo "point-in-time recovery to $target (base backup + WAL replay, promoted): $(since "$t") s"
got=$(psql_ -d fayuan -c "$counts_sql")
rows=$(psql_ -d fayuan -c "SELECT string_agg(label, ',' ORDER BY at) FROM drill")
echo "cases/audit entries/case events: expected $expected, recovered $got; drill rows: $rows"
[[ "$got" == "$expected" && "$rows" == "kept" ]] || { echo "RECOVERY CHECK FAILED" >&2; exit 1; }
if [[ -n "${VERIFY_AUDIT:-}" ]]; then
  DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/fayuan" $VERIFY_AUDIT
fi
echo "PITR drill passed"
