# Sourced by tools/backup.sh and tools/restore-drill.sh: PostgreSQL client tools of the
# server's major version, and the query that counts every table's rows.

# pg_client_bindir URL: set PG_BIN to PG_BINDIR, or to the client tools matching the server's
# major version (pg_dump refuses a newer server; an older pg_restore cannot read a newer dump).
pg_client_bindir() {
  local url="$1" psql_bin major candidate
  if [[ -n "${PG_BINDIR:-}" ]]; then PG_BIN="$PG_BINDIR"; return 0; fi
  psql_bin="$(command -v psql || ls -1 /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$psql_bin" ]] || { echo "no psql found (run tools/install-system-deps.sh)" >&2; return 1; }
  major="$("$psql_bin" "$url" -X -A -t -c "SELECT current_setting('server_version_num')::int / 10000")"
  for candidate in "/usr/lib/postgresql/$major/bin" "/usr/pgsql-$major/bin" \
    "$(command -v pg_config >/dev/null 2>&1 && pg_config --bindir || true)"; do
    if [[ -n "$candidate" && -x "$candidate/pg_dump" ]] \
      && [[ "$("$candidate/pg_dump" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')" == "$major" ]]; then
      PG_BIN="$candidate"
      return 0
    fi
  done
  echo "no PostgreSQL $major client tools found (set PG_BINDIR)" >&2
  return 1
}

# Every ordinary and partitioned table outside the system schemas, as "schema.table|rows",
# exact counts read in the current snapshot (query_to_xml runs each count in this statement).
# shellcheck disable=SC2034  # used by the scripts that source this file
PG_ROW_COUNTS_SQL="SELECT format('%s.%s', n.nspname, c.relname) || '|' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname,
    c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
ORDER BY 1;"
