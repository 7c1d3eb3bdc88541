#!/usr/bin/env bash
# Run Caseworks on 127.0.0.1 with its PostgreSQL and its task-queue worker.
#
#   tools/run-stack.sh dev    `make run`:   runserver (DEBUG off unless DEBUG=1), demo data
#   tools/run-stack.sh prod   `make serve`: the production stack (gunicorn, collected static
#                             files, production settings; plain HTTP on 127.0.0.1 only)
#
# Without DATABASE_URL it starts the private cluster under var/pg (tools/dev-postgres.sh) and
# stops it when the server stops; with DATABASE_URL it uses that server as it is.
# The procrastinate worker (payment runs, scheduled jobs) runs beside the web server and is
# stopped with it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-dev}"
PY=.venv/bin/python
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

pids=()
started_pg=0
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $started_pg == 1 ]]; then tools/dev-postgres.sh stop || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${DATABASE_URL:-}" != postgres* ]]; then
  line="$(tools/dev-postgres.sh start)"
  export DATABASE_URL="${line#DATABASE_URL=}"
  started_pg=1
fi

if [[ "$mode" == "prod" ]]; then
  export DJANGO_SETTINGS_MODULE=config.settings.production
  mkdir -p var
  if [[ -z "${SECRET_KEY:-}" ]]; then
    [[ -s var/secret_key ]] || (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(64))' >var/secret_key)
    SECRET_KEY="$(cat var/secret_key)"
    export SECRET_KEY
  fi
  # Plain HTTP on 127.0.0.1 only: a deployment puts the TLS proxy of deploy/ in front instead.
  export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
  export STATIC_ROOT="${STATIC_ROOT:-$PWD/var/staticfiles}"
  # Prometheus multiprocess mode: gunicorn's workers and the worker share one directory.
  export PROMETHEUS_MULTIPROC_DIR="$PWD/var/prometheus"
  rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
else
  export DJANGO_SETTINGS_MODULE=config.settings.local
fi

$PY manage.py compilemessages --ignore=.venv -v 0
$PY manage.py migrate --noinput -v 0
$PY manage.py load_reference_data
$PY manage.py load_ies_providers -v 0
$PY manage.py load_survey_templates
if [[ "$mode" == "prod" ]]; then
  $PY manage.py collectstatic --noinput -v 0
  # The demo caseload goes only into the private cluster of var/pg (never into a server named
  # by DATABASE_URL unless DEMO_DATA=1); load_demo_data refuses production settings, so it
  # runs with the local ones: the published demo password must never reach a real database.
  if [[ "${DEMO_DATA:-$started_pg}" == 1 ]]; then
    DJANGO_SETTINGS_MODULE=config.settings.local $PY manage.py load_demo_data
  fi
else
  $PY manage.py load_demo_data
fi

$PY manage.py procrastinate worker &
pids+=($!)

if [[ "$mode" == "prod" ]]; then
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "$HOST:$PORT" config.wsgi &
else
  echo "Caseworks: http://$HOST:$PORT/ (the worker runs beside it; Ctrl-C stops both and PostgreSQL)"
  $PY manage.py runserver --noreload "$HOST:$PORT" &
fi
pids+=($!)
# Stop everything as soon as either the server or the worker stops.
wait -n "${pids[@]}"
