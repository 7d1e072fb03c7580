# Darbīgās kopienas: `make run` starts the platform with sample data, `make test` runs the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
TEST_WORKERS ?= auto
# gunicorn for `make serve` takes its settings from gunicorn.conf.py: WEB_WORKERS processes
# (2 × cores + 1, at most 8), each with WEB_THREADS threads (4). Each worker keeps its own
# PostgreSQL pool of up to WEB_THREADS connections (settings.py) and one that listens for
# renewed pages, so WEB_WORKERS × (WEB_THREADS + 1) must stay below the server's
# max_connections (README).
WEB_WORKERS ?=
WEB_THREADS ?=
# The first Python >= 3.12 on PATH (pyenv honours .python-version, which says 3.13).
BOOTSTRAP_PYTHON := $(shell for c in python3.13 python3.12 python3 python; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$c; break; fi; done)

# The locked dependency sets (README, "Reproducible installs"): exact versions with the sha256 of
# every file pip may take. `make lock` writes them from pyproject.toml with pip-compile.
DEV_LOCK := requirements/dev.lock
PROD_LOCK := requirements/prod.lock
# pip-tools lives in a venv of its own: it is no dependency of the project's.
LOCK_TOOLS := .lock-tools
PIP_TOOLS := pip-tools>=7.6,<7.7
# e.g. `make lock LOCK_ARGS=--upgrade` (everything to the newest allowed) or
# `make lock LOCK_ARGS="--upgrade-package django"`; without, pins stay unless pyproject moves them.
# An old pin that a new requirement rules out can keep pip-compile backtracking for many minutes
# (a new s3 extra against python-dateutil 4 did): free it with --upgrade-package NAME.
LOCK_ARGS ?=
# Hashes of all build dependencies too (setuptools), so the project itself installs without
# fetching anything unpinned (--no-build-isolation below).
PIP_COMPILE := $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--all-build-deps --strip-extras --no-emit-index-url --no-emit-find-links
# How long `make audit` may wait for the vulnerability service (seconds).
AUDIT_TIMEOUT ?= 120

.PHONY: run test serve lint format messages bench load backup-drill install lock audit migrate data clean

# Only what the lock names, each file checked against its hashes; then the project itself,
# editable, without dependencies and built by the locked setuptools.
$(VENV)/.installed: pyproject.toml $(DEV_LOCK)
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 vai jaunāks nav atrasts (vajag Django 6.1)."; exit 1; }
	test -x $(PY) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(VENV)/.installed

## make lock: rewrite requirements/dev.lock (pyproject's dependencies with the s3 and dev extras,
## what `make install` installs) and requirements/prod.lock (the dependencies and the s3 extra)
## after a change to pyproject.toml's requirements; commit both with it. The production lock
## starts from the dev lock's pins, so production runs the very versions the tests ran on.
lock:
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 vai jaunāks nav atrasts."; exit 1; }
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(BOOTSTRAP_PYTHON) -m venv $(LOCK_TOOLS) && \
	  $(LOCK_TOOLS)/bin/python -m pip install --quiet "$(PIP_TOOLS)"; }
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev --extra s3 --output-file $(DEV_LOCK) pyproject.toml
	cp $(DEV_LOCK) $(PROD_LOCK)
	$(PIP_COMPILE) --extra s3 --output-file $(PROD_LOCK) pyproject.toml

## make audit: known vulnerabilities in the locked dev set (pip-audit, devtools/audit.py); fails
## on one that has a fixed release, and with "AUDIT NOT RUN" when the service cannot be reached.
audit: install
	$(PY) -m devtools.audit --timeout $(AUDIT_TIMEOUT) $(DEV_LOCK)

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(MANAGE) migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(MANAGE) createcachetable

data: migrate
	DJANGO_DEBUG=1 $(MANAGE) load_latgale
	DJANGO_DEBUG=1 $(MANAGE) demo_data

## make run: everything from a bare clone, then the development server on http://127.0.0.1:8000
## and, beside it, the outbox's worker (its mails go to this terminal; README, "Mail").
run: data
	@echo "Darbīgās kopienas: http://$(HOST):$(PORT)/  (pārvaldība: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=1 $(MANAGE) outbox_sweep
	@DJANGO_DEBUG=1 $(MANAGE) db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## make test: the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite), on every core
## (pytest-xdist, one test database and one Chromium per worker; the tests that use Redis take
## turns, tests/conftest.py). TEST_WORKERS=0 runs it in one process.
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

## make serve: production-like (debug off, whitenoise, gunicorn) on http://127.0.0.1:8000
## Each request is logged once, by the application (kopienas.requests, with its request id);
## gunicorn's own access log stays off (README, "Operations: logs and health checks").
serve: install
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
	  DJANGO_SERVE_MEDIA="$${DJANGO_SERVE_MEDIA:-1}" \
	  WEB_WORKERS="$(WEB_WORKERS)" WEB_THREADS="$(WEB_THREADS)"; \
	$(MANAGE) collectstatic --no-input -v0 && \
	$(MANAGE) migrate --no-input && $(MANAGE) createcachetable && \
	$(VENV)/bin/gunicorn kopienas.wsgi --bind $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: refresh locale/*/LC_MESSAGES/django.po from the code, then compile the .mo
## (the .mo files are committed, so `make run` works without gettext installed)
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=test-artifacts \
	--ignore=bench-data --ignore=media --ignore=sent-mail --ignore=build --ignore='*.egg-info'
messages: install
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l en -l lv --no-obsolete $(MESSAGES_IGNORE)
	DJANGO_DEBUG=1 $(MANAGE) compilemessages $(MESSAGES_IGNORE)

## make bench: query counts, server time and page weight of every public page against DESIGN §8
bench: install
	$(PY) -m devtools.bench

## make load: gunicorn (production settings) on PostgreSQL with the bench data, driven by wrk
## for a bounded time on loopback; requests/s, p50, p99 and errors per page (devtools/load.py)
load: install
	$(PY) -m devtools.load

## make backup-drill: back up a database filled as `make run` fills it, restore it into a new one
## and compare every table, sequence and uploaded file (README, "Backups"). It creates and drops
## <name>_source and <name>_restored on the server of BACKUP_DRILL_DATABASE_URL (its database
## name is the prefix).
backup-drill: install
	$(PY) -m devtools.backup_drill

clean:
	rm -rf $(VENV) $(LOCK_TOOLS) staticfiles db.sqlite3 db.sqlite3-* media bench-data
