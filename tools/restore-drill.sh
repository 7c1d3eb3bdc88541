#!/usr/bin/env bash
# Restore drill (docs/backup.md): prove that a backup restores into a working Caseworks database.
#
#   tools/restore-drill.sh [DUMP]
#
# 1. Takes DUMP (a tools/backup.sh dump), or makes a fresh one of DATABASE_URL in a temp dir.
# 2. Restores it into a new scratch database on the same server (DRILL_SERVER_URL: another one).
# 3. Runs `manage.py check --database default` and `manage.py migrate --check` with
#    DATABASE_URL pointed at the restored database.
# 4. Compares the row count of every table with the counts taken in the dump's own snapshot
#    (DUMP.counts, written by tools/backup.sh); a dump without them is compared with the live
#    DATABASE_URL instead, which only a quiet source passes.
# 5. Prints a summary, drops the scratch database (DRILL_KEEP=1 keeps it), and exits non-zero on
#    any difference or failure.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=tools/pg-client.sh
source "$here/pg-client.sh"

: "${DATABASE_URL:?DATABASE_URL must point at the source database}"
python="${PYTHON:-$root/.venv/bin/python}"
[[ -x "$python" ]] || python="$(command -v python3)"
pg_client_bindir "$DATABASE_URL"
started=$SECONDS

workdir="$(mktemp -d /tmp/caseworks-drill.XXXXXX)"
scratch="caseworks_drill_$(date -u +%Y%m%d%H%M%S)_$$"
server_url="${DRILL_SERVER_URL:-$DATABASE_URL}"
scratch_url="$("$python" -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
  "$server_url" "$scratch")"
created=0
cleanup() {
  if [[ "$created" == 1 && "${DRILL_KEEP:-0}" != 1 ]]; then
    "$PG_BIN/psql" "$server_url" -X -q -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

dump="${1:-}"
if [[ -z "$dump" ]]; then
  echo "drill: no dump given, taking one of the source"
  BACKUP_DIR="$workdir" BACKUP_KEEP=1 PG_BINDIR="$PG_BIN" "$here/backup.sh" dump
  dump="$(ls -1 "$workdir"/dumps/caseworks-*.dump | head -n 1)"
fi
[[ -r "$dump" ]] || { echo "drill: cannot read $dump" >&2; exit 1; }

echo "drill: restoring $dump into $scratch"
"$PG_BIN/psql" "$server_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$scratch\" TEMPLATE template0" >/dev/null
created=1
"$PG_BIN/pg_restore" --dbname="$scratch_url" --no-owner --no-acl --exit-on-error \
  --jobs="${DRILL_JOBS:-2}" "$dump"
# Fresh statistics, as an operator would before sending traffic to a restored database.
"$PG_BIN/psql" "$scratch_url" -X -q -v ON_ERROR_STOP=1 -c "ANALYZE" >/dev/null

echo "drill: manage.py check and migrate --check against the restored database"
(cd "$root" && DATABASE_URL="$scratch_url" "$python" manage.py check --database default --fail-level ERROR)
(cd "$root" && DATABASE_URL="$scratch_url" "$python" manage.py migrate --check >/dev/null) \
  || { echo "drill: the restored database lacks migrations of this code" >&2; exit 1; }

if [[ -r "$dump.counts" ]]; then
  cp "$dump.counts" "$workdir/source.counts"
  source_label="the dump's snapshot"
else
  echo "drill: $dump has no .counts file: comparing with the live source (must be quiet)"
  "$PG_BIN/psql" "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 -c "$PG_ROW_COUNTS_SQL" >"$workdir/source.counts"
  source_label="the live source"
fi
"$PG_BIN/psql" "$scratch_url" -X -q -A -t -v ON_ERROR_STOP=1 -c "$PG_ROW_COUNTS_SQL" >"$workdir/restored.counts"

# Join on the table name: a table missing on either side is a difference too.
differences="$(LC_ALL=C join -t '|' -a 1 -a 2 -e MISSING -o 0,1.2,2.2 \
  <(LC_ALL=C sort "$workdir/source.counts") <(LC_ALL=C sort "$workdir/restored.counts") \
  | awk -F'|' '$2 != $3 { printf "  %-60s source %s, restored %s\n", $1, $2, $3 }')"
tables="$(wc -l <"$workdir/source.counts")"
rows="$(awk -F'|' '{ s += $2 } END { print s + 0 }' "$workdir/source.counts")"

echo "drill summary"
echo "  dump:      $dump ($(du -h "$dump" | cut -f1))"
echo "  restored:  $scratch$([[ "${DRILL_KEEP:-0}" == 1 ]] && echo ' (kept)')"
echo "  checks:    manage.py check and migrate --check passed"
echo "  compared:  $tables tables, $rows rows, with $source_label"
echo "  took:      $((SECONDS - started)) s"
if [[ -n "$differences" ]]; then
  echo "drill FAILED: row counts differ:"
  echo "$differences"
  exit 1
fi
echo "drill OK: every table has the same number of rows"
