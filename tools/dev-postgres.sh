#!/usr/bin/env bash
# The private PostgreSQL cluster of `make run`, kept under var/pg (created on the first run,
# reused later). It listens on 127.0.0.1 only, on a port chosen free at creation (moved if
# that port is taken later), and runs as the `postgres` user when we are root (never as root).
# Host connections need the password kept in var/pg/password (mode 0600).
#
#   tools/dev-postgres.sh start   create if missing, start if stopped; prints DATABASE_URL=...
#   tools/dev-postgres.sh stop    stop the cluster (fast shutdown; nothing is lost)
#   tools/dev-postgres.sh url     print DATABASE_URL=... for a running cluster
#   tools/dev-postgres.sh status
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pg-common.sh

root="${CASEWORKS_VAR_DIR:-$PWD/var}/pg"
data="$root/data"
run="$root/run"
dbname="caseworks"

pg() { "${AS_PG[@]}" "$PG_BINDIR/$@"; }
running() { [[ -f "$data/postmaster.pid" ]] && pg pg_ctl -D "$data" status >/dev/null 2>&1; }
url() { echo "DATABASE_URL=postgres://caseworks:$(cat "$root/password")@127.0.0.1:$(cat "$root/port")/$dbname"; }

create() {
  mkdir -p "$root" "$run"
  chmod 755 "$root"
  umask 077
  python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$root/password"
  umask 022
  free_port >"$root/port"
  local pwfile
  pwfile="$(mktemp "$run/pw.XXXXXX")"
  cp "$root/password" "$pwfile"
  mkdir -p "$data"
  chmod 700 "$data"
  if [[ "$(id -u)" == "0" ]]; then chown postgres: "$run" "$pwfile" "$data"; fi
  # The superuser `caseworks` owns the demo database; host logins need its password.
  pg initdb -D "$data" -U caseworks --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; rm -f "$pwfile"; exit 1; }
  rm -f "$pwfile"
  echo "dev-postgres: created a private PostgreSQL cluster in $data" >&2
}

start() {
  [[ -d "$data" ]] || create
  if running; then url; return; fi
  local port
  port="$(cat "$root/port")"
  if ! port_free "$port"; then
    port="$(free_port)"
    echo "$port" >"$root/port"
  fi
  if [[ "$(id -u)" == "0" ]]; then chown postgres: "$run"; fi
  pg pg_ctl -D "$data" -l "$run/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k $run -c max_connections=100" >/dev/null \
    || { tail -20 "$run/server.log" >&2; exit 1; }
  if ! pg psql -h "$run" -p "$port" -U caseworks -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1; then
    pg createdb -h "$run" -p "$port" -U caseworks "$dbname"
  fi
  echo "dev-postgres: PostgreSQL on 127.0.0.1:$port ($data)" >&2
  url
}

stop() {
  if running; then pg pg_ctl -D "$data" -m fast -w stop >/dev/null && echo "dev-postgres: stopped" >&2; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) running && url ;;
  status) if running; then echo "running on 127.0.0.1:$(cat "$root/port")"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
