# Shared by tools/with-test-postgres.sh and tools/dev-postgres.sh (sourced, not run).
# Sets: PG_BINDIR (initdb, pg_ctl, ...), AS_PG (a command prefix that runs as the `postgres`
# user when we are root: the server never runs as root), and defines free_port.

PG_BINDIR=""
for candidate in "$(command -v pg_config >/dev/null 2>&1 && pg_config --bindir || true)" /usr/lib/postgresql/*/bin; do
  if [[ -n "$candidate" && -x "$candidate/initdb" && -x "$candidate/pg_ctl" ]]; then PG_BINDIR="$candidate"; break; fi
done
if [[ -z "$PG_BINDIR" ]]; then
  echo "$(basename "$0"): no PostgreSQL server binaries found (run tools/install-system-deps.sh)" >&2
  exit 1
fi

AS_PG=()
if [[ "$(id -u)" == "0" ]]; then
  AS_PG=(runuser -u postgres --)
fi

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) else 1)' "$1"
}
