#!/usr/bin/env bash
# Nightly logical backup of the Fayuan database (fayuan-backup.service; docs/runbook.md, "Backups").
#   PGDATABASE=fayuan BACKUP_DIR=/var/backups/fayuan KEEP=14 deploy/backup/fayuan-pg-dump.sh
# Writes BACKUP_DIR/fayuan-YYYYMMDDTHHMMSSZ.dump (pg_dump custom format: compressed, restorable table by table)
# and a .sha256 beside it, only once the dump is complete and readable; keeps the newest KEEP dumps.
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE); as the postgres system user on the
# database host nothing else is needed. Exit status non-zero on any failure (the unit then shows "failed").
set -euo pipefail

: "${PGDATABASE:?PGDATABASE must name the database}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/fayuan}"
KEEP="${KEEP:-14}"
[[ "$KEEP" =~ ^[1-9][0-9]*$ ]] || { echo "KEEP must be a positive number, not '$KEEP'" >&2; exit 2; }

mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="${PGDATABASE}-${stamp}.dump"
tmp="$(mktemp "$BACKUP_DIR/.${name}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

# Frozen years (manage.py partitions freeze) are left out: their rows are in the archive files of
# PARTITION_ARCHIVE_DIR, kept with the backups, and `manage.py partitions load-frozen` puts them back after a restore.
# If the list cannot be read (a database older than the table), the dump is whole, which is never wrong.
exclude=()
# A year changed since it was archived (retention's anonymization) is dumped whole until it is archived again.
if frozen="$(psql -XAtq --no-password \
    -c "SELECT partition FROM core_frozenpartition WHERE changed_at IS NULL ORDER BY partition" \
    "$PGDATABASE" 2>/dev/null)"; then
  while IFS= read -r partition; do
    [[ -n "$partition" ]] && exclude+=("--exclude-table-data=public.$partition")
  done <<< "$frozen"
fi

started=$(date +%s)
pg_dump --format=custom --compress=6 --no-password "${exclude[@]}" --file="$tmp" "$PGDATABASE"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$tmp" > /dev/null
mv "$tmp" "$BACKUP_DIR/$name"
trap - EXIT
(cd "$BACKUP_DIR" && sha256sum "$name" > "$name.sha256")
echo "backup: $BACKUP_DIR/$name ($(du -h "$BACKUP_DIR/$name" | cut -f1), $(( $(date +%s) - started )) s," \
  "${#exclude[@]} frozen partition(s) left to their archive files)"

# Keep the newest KEEP dumps (names sort by time) with their checksums.
mapfile -t old < <(ls -1 "$BACKUP_DIR"/"${PGDATABASE}"-*.dump 2>/dev/null | sort | head -n -"$KEEP")
for f in "${old[@]}"; do
  rm -f -- "$f" "$f.sha256"
  echo "removed old backup: $f"
done
