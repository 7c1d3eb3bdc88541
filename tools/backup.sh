#!/usr/bin/env bash
# Back up the Caseworks database (docs/backup.md).
#
#   tools/backup.sh [dump]   pg_dump -Fc of DATABASE_URL to BACKUP_DIR/dumps/caseworks-<UTC>.dump,
#                            with the row count of every table taken in the same snapshot
#                            (<dump>.counts, read by tools/restore-drill.sh); keeps the newest
#                            BACKUP_KEEP dumps. For small sites.
#   tools/backup.sh base     pg_basebackup (tar, gzip, WAL streamed, manifest) of the cluster
#                            to BACKUP_DIR/base/<UTC>/, checked with pg_verifybackup (on an
#                            unpacked copy; BACKUP_VERIFY=0 skips it); keeps the
#                            newest BACKUP_KEEP_BASE and removes archived WAL older than the
#                            oldest one kept (WAL_ARCHIVE_DIR). With the server's
#                            archive_command copying WAL to WAL_ARCHIVE_DIR, this is
#                            point-in-time recovery (docs/backup.md, "Point-in-time recovery").
#
# Environment: DATABASE_URL (required), BACKUP_DIR (default var/backups), BACKUP_KEEP (14),
# BACKUP_KEEP_BASE (2), WAL_ARCHIVE_DIR (default BACKUP_DIR/wal), PG_BINDIR (client tools of
# the server's major version; found under /usr/lib/postgresql/<major>/bin otherwise).
# Client tools may run as root; nothing here starts a server.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tools/pg-client.sh
source "$here/pg-client.sh"

mode="${1:-dump}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
backup_dir="${BACKUP_DIR:-$here/../var/backups}"
keep="${BACKUP_KEEP:-14}"
keep_base="${BACKUP_KEEP_BASE:-2}"
wal_dir="${WAL_ARCHIVE_DIR:-$backup_dir/wal}"
[[ "$keep" =~ ^[1-9][0-9]*$ && "$keep_base" =~ ^[1-9][0-9]*$ ]] \
  || { echo "backup: BACKUP_KEEP and BACKUP_KEEP_BASE must be positive integers" >&2; exit 2; }

pg_client_bindir "$DATABASE_URL"
umask 077  # backups hold every client's personal information
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

case "$mode" in
  dump)
    mkdir -p "$backup_dir/dumps"
    target="$backup_dir/dumps/caseworks-$stamp.dump"
    [[ -e "$target" ]] && target="$backup_dir/dumps/caseworks-$stamp-$$.dump"  # same second
    # One repeatable-read transaction exports its snapshot: pg_dump copies exactly that
    # snapshot, and the row counts are taken in it, so they match the dump on a busy server.
    coproc SNAP { "$PG_BIN/psql" "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
    snap_in="${SNAP[1]}"
    snap_out="${SNAP[0]}"
    echo "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot();" >&"$snap_in"
    read -r -t 60 snapshot <&"$snap_out" || { echo "backup: could not export a snapshot" >&2; exit 1; }
    [[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || { echo "backup: $snapshot" >&2; exit 1; }
    "$PG_BIN/pg_dump" --format=custom --compress=6 --snapshot="$snapshot" \
      --file="$target.partial" "$DATABASE_URL"
    printf '%s\n\\echo __END__\n' "$PG_ROW_COUNTS_SQL" >&"$snap_in"
    : >"$target.counts.partial"
    while read -r -t 600 line <&"$snap_out"; do
      [[ "$line" == "__END__" ]] && break
      echo "$line" >>"$target.counts.partial"
    done
    echo "COMMIT;" >&"$snap_in"
    exec {snap_in}>&-
    wait "$SNAP_PID" 2>/dev/null || true
    grep -qv '|' "$target.counts.partial" && { cat "$target.counts.partial" >&2; exit 1; }
    # A dump that pg_restore cannot list is no backup.
    "$PG_BIN/pg_restore" --list "$target.partial" >/dev/null
    mv "$target.counts.partial" "$target.counts"
    mv "$target.partial" "$target"
    tables="$(wc -l <"$target.counts")"
    echo "backup: $target ($(du -h "$target" | cut -f1), $tables tables)"
    # Retention: keep the newest $keep dumps (by modification time).
    mapfile -t old < <(ls -1t "$backup_dir/dumps"/caseworks-*.dump 2>/dev/null | tail -n +"$((keep + 1))")
    for file in "${old[@]}"; do
      rm -f -- "$file" "$file.counts"
      echo "backup: removed $file (keeping $keep)"
    done
    ;;
  base)
    mkdir -p "$backup_dir/base" "$wal_dir"
    target="$backup_dir/base/$stamp"
    [[ -e "$target" ]] && { echo "backup: $target exists" >&2; exit 1; }
    "$PG_BIN/pg_basebackup" --dbname="$DATABASE_URL" --pgdata="$target.partial" --format=tar \
      --gzip --wal-method=stream --checkpoint=fast --label="caseworks $stamp"
    # pg_verifybackup (before PostgreSQL 18) reads only plain backups: unpack a copy to check
    # every file against the manifest's checksums and the WAL needed to make it consistent.
    if [[ "${BACKUP_VERIFY:-1}" == 1 ]]; then
      check="$target.verify"
      mkdir -p "$check/pg_wal"
      tar -xzf "$target.partial/base.tar.gz" -C "$check"
      tar -xzf "$target.partial/pg_wal.tar.gz" -C "$check/pg_wal"
      "$PG_BIN/pg_verifybackup" --quiet --manifest-path="$target.partial/backup_manifest" "$check" \
        || { rm -rf "$check"; echo "backup: pg_verifybackup failed for $target" >&2; exit 1; }
      rm -rf "$check"
    fi
    mv "$target.partial" "$target"
    echo "backup: base backup $target ($(du -sh "$target" | cut -f1))"
    mapfile -t old < <(ls -1d "$backup_dir/base"/*Z 2>/dev/null | sort -r | tail -n +"$((keep_base + 1))")
    for dir in "${old[@]}"; do
      rm -rf -- "$dir"
      echo "backup: removed base backup $dir (keeping $keep_base)"
    done
    # WAL older than the oldest base backup kept can no longer be replayed from anything.
    oldest="$(ls -1d "$backup_dir/base"/*Z | sort | head -n 1)"
    start_wal="$(tar -xzOf "$oldest/base.tar.gz" backup_label 2>/dev/null \
      | sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]\{24\}\))$/\1/p')"
    if [[ -n "$start_wal" && -n "$(ls -A "$wal_dir" 2>/dev/null)" ]]; then
      "$PG_BIN/pg_archivecleanup" "$wal_dir" "$start_wal"
      echo "backup: archived WAL before $start_wal removed from $wal_dir"
    fi
    ;;
  *)
    echo "usage: tools/backup.sh [dump|base]" >&2
    exit 2
    ;;
esac
