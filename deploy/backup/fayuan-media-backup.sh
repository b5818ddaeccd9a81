#!/usr/bin/env bash
# Nightly snapshot of the uploaded and generated files (fayuan-media-backup.service; docs/runbook.md, "Backups").
#   MEDIA_ROOT=/var/lib/fayuan/media BACKUP_DIR=/var/backups/fayuan-media KEEP=14 deploy/backup/fayuan-media-backup.sh
# The database dump holds the rows; the case files, the official documents (PDFs) and the applicants' draft
# attachments are files under MEDIA_ROOT that the rows name. Without them a restored case lists documents that
# cannot be opened.
#
# Writes BACKUP_DIR/media-YYYYMMDDTHHMMSSZ/, a whole copy of MEDIA_ROOT, with rsync --link-dest: a file unchanged since
# the previous snapshot is a hard link to it (files are written once and never changed), so each snapshot is complete
# on its own and a night costs only the new files. The snapshot appears under its name only once it is complete.
# Keeps the newest KEEP. Run it after the nightly dump (its timer is later): every file a dumped row names was
# stored before the row was committed, so the snapshot taken after the dump holds it.
#
# Left out: registry/ (an agency's import file lists ID numbers in clear; it is deleted when its import ends and is
# never needed again: an interrupted import is redone by uploading the file again). fayuan.core.uploads
# TRANSIENT_UPLOAD_DIRS says the same for `manage.py verify_uploads`.
# Exit status non-zero on any failure (the unit then shows "failed").
set -euo pipefail

: "${MEDIA_ROOT:?MEDIA_ROOT must name the upload directory}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/fayuan-media}"
KEEP="${KEEP:-14}"
[[ "$KEEP" =~ ^[1-9][0-9]*$ ]] || { echo "KEEP must be a positive number, not '$KEEP'" >&2; exit 2; }
[[ -d "$MEDIA_ROOT" ]] || { echo "MEDIA_ROOT $MEDIA_ROOT is not a directory" >&2; exit 2; }
command -v rsync > /dev/null || { echo "rsync not found: apt-get install rsync" >&2; exit 2; }

umask 077  # the snapshots hold personal data: readable by the service user only (the unit sets the same)
mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="media-${stamp}"
[[ ! -e "$BACKUP_DIR/$name" ]] || { echo "$BACKUP_DIR/$name exists already" >&2; exit 1; }
tmp="$BACKUP_DIR/.${name}.partial"
trap 'rm -rf -- "$tmp" "$tmp.stats"' EXIT

link=()
previous="$(ls -1d "$BACKUP_DIR"/media-*/ 2>/dev/null | sort | tail -n 1 || true)"
[[ -n "$previous" ]] && link=("--link-dest=${previous%/}")

started=$(date +%s)
# --link-dest compares size and time: a file whose content changed in place (never done by the platform) is copied.
rsync -a --delete --exclude=/registry/ "${link[@]}" --stats "$MEDIA_ROOT/" "$tmp/" > "$tmp.stats"
files="$(awk -F': ' '/^Number of regular files transferred/ {gsub(",", "", $2); print $2}' "$tmp.stats")"
total="$(awk -F': ' '/^Number of files:/ {split($2, a, " "); gsub(",", "", a[1]); print a[1]}' "$tmp.stats")"
rm -f "$tmp.stats"
sync -f "$tmp"
mv "$tmp" "$BACKUP_DIR/$name"
from="${previous%/}"
trap - EXIT
echo "media backup: $BACKUP_DIR/$name (${total:-?} entries, ${files:-?} new files copied," \
  "the rest linked to ${from:-no earlier snapshot}; $(( $(date +%s) - started )) s)"

# Keep the newest KEEP snapshots (names sort by time).
mapfile -t old < <(ls -1d "$BACKUP_DIR"/media-*/ 2>/dev/null | sort | head -n -"$KEEP")
for d in "${old[@]}"; do
  rm -rf -- "${d%/}"
  echo "removed old media backup: ${d%/}"
done
