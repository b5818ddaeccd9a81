#!/usr/bin/env bash
# archive_command for 法援平台 (deploy/postgresql/fayuan.conf):  archive_command = '.../archive-wal.sh %p %f'
# Copies one WAL segment into WAL_ARCHIVE (default /var/lib/postgresql/wal-archive) under a temporary name,
# flushes it to disk, then renames it: a crash never leaves a partial segment under the real name. A segment
# already archived with the same content is success (PostgreSQL retries after a crash between copy and its own
# bookkeeping); a different file under the same name is an error (two clusters writing to one archive).
set -euo pipefail
src="$1"; name="$2"
archive="${WAL_ARCHIVE:-/var/lib/postgresql/wal-archive}"
dest="$archive/$name"
if [[ -f "$dest" ]]; then
  cmp -s "$src" "$dest" && exit 0
  echo "archive-wal: $dest exists with different content" >&2
  exit 1
fi
tmp="$archive/.$name.tmp"
cp "$src" "$tmp"
sync "$tmp"
mv "$tmp" "$dest"
sync "$archive"
