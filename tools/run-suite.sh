#!/usr/bin/env bash
# The whole pytest suite, as `make test` runs it (inside tools/with-test-postgres.sh):
# first every test but the `serial` ones on every core (pytest-xdist, whole files per worker),
# then the `serial` ones alone (a streaming replica and a restore drill take over the cluster).
# PYTEST_WORKERS=0 runs the first part in one process. Arguments go to both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST="${PYTEST:-.venv/bin/pytest}"
WORKERS="${PYTEST_WORKERS:-auto}"
status=0
CASEWORKS_SERIAL=exclude "$PYTEST" -p no:randomly -n "$WORKERS" --dist loadfile "$@" || status=$?
# 5: no test selected (arguments that select none of the serial tests).
CASEWORKS_SERIAL=only "$PYTEST" -p no:randomly "$@" || { rc=$?; [ "$rc" -eq 5 ] || status=$rc; }
exit "$status"
