#!/usr/bin/env bash
# Run a command against PostgreSQL for the test suite.
#
# If DATABASE_URL already points at a PostgreSQL server, use it as it is.
# Otherwise start a private, throw-away PostgreSQL cluster on 127.0.0.1 (a free port, a temp
# directory, owned by the `postgres` user when we are root: the server never runs as root),
# export DATABASE_URL for the command, and stop and delete the cluster afterwards.
set -euo pipefail

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  exec "$@"
fi

source "$(dirname "$0")/pg-common.sh"
bindir="$PG_BINDIR"
port="$(free_port)"
workdir="$(mktemp -d /tmp/caseworks-pg.XXXXXX)"
chmod 755 "$workdir"
as_pg=("${AS_PG[@]}")
if [[ "$(id -u)" == "0" ]]; then
  chown postgres: "$workdir"
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 start \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" >/dev/null \
  || { cat "$workdir/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-test-postgres: private PostgreSQL cluster on 127.0.0.1:$port ($workdir)"
set +e
"$@"
status=$?
set -e
exit $status
