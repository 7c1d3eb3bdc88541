# Caseworks — two commands set everything up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: run serve test venv lint bench bench-load messages clean node demo-code

$(STAMP): pyproject.toml rules/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./rules -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

node: node_modules/axe-core/axe.min.js

## make run: install, start the private PostgreSQL under var/pg and the worker, migrate, load
## reference and demo data, print demo logins, serve on :8000 (Ctrl-C stops all three)
run: venv
	tools/install-system-deps.sh --runtime
	HOST=$(HOST) PORT=$(PORT) tools/run-stack.sh dev

## make demo-code: the demo logins' current second-factor code (the demo key is published
## with the demo password; each code works once, a new one comes every 30 seconds)
demo-code: venv
	@$(PY) manage.py demo_second_factor_code

## make serve: the production stack on 127.0.0.1 (gunicorn, worker, collected static files)
serve: venv
	tools/install-system-deps.sh --runtime
	HOST=$(HOST) PORT=$(PORT) tools/run-stack.sh prod

## make test: system packages, a private PostgreSQL cluster, ruff, mypy, the app graph
## (lint-imports, contracts in pyproject.toml), the whole pytest suite on every core
## (pytest-xdist, whole files per worker; then the `serial` tests alone: tools/run-suite.sh)
test: venv node
	tools/install-system-deps.sh
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy caseworks config
	$(VENV)/bin/lint-imports
	PYTEST_WORKERS=$(PYTEST_WORKERS) tools/with-test-postgres.sh tools/run-suite.sh $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy caseworks config
	$(VENV)/bin/lint-imports

## make bench: benchmarks that print figures (rules engine, client search, payment run)
bench: venv
	tools/install-system-deps.sh
	$(PY) bench/rules.py
	tools/with-test-postgres.sh $(PY) bench/search.py
	tools/with-test-postgres.sh $(PY) bench/caseload.py
	tools/with-test-postgres.sh $(PY) bench/payments.py
	tools/with-test-postgres.sh $(PY) bench/simulation.py

## make bench-load: the production stack (gunicorn) under locust on 300,000 cases, one then two
## app-server instances (about 10 minutes)
bench-load: venv
	tools/install-system-deps.sh
	tools/with-test-postgres.sh $(PY) bench/load.py

messages: venv
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=rules --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules var
