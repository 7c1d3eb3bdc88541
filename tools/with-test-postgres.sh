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

bindir=""
for candidate in "$(command -v pg_config >/dev/null 2>&1 && pg_config --bindir || true)" /usr/lib/postgresql/*/bin; do
  if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then bindir="$candidate"; break; fi
done
if [[ -z "$bindir" ]]; then
  echo "with-test-postgres: no PostgreSQL server binaries found (run tools/install-system-deps.sh)" >&2
  exit 1
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
workdir="$(mktemp -d /tmp/caseworks-pg.XXXXXX)"
chmod 755 "$workdir"
as_pg=()
if [[ "$(id -u)" == "0" ]]; then
  chown postgres: "$workdir"
  as_pg=(runuser -u postgres --)
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
