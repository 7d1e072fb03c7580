# Darbīgās kopienas: `make run` starts the platform with sample data, `make test` runs the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
TEST_WORKERS ?= auto
# gunicorn for `make serve`: 2 × cores + 1 workers, at most 8, each with WEB_THREADS threads.
# Each worker keeps its own PostgreSQL pool of up to WEB_THREADS connections (settings.py), so
# WEB_WORKERS × WEB_THREADS must stay below the server's max_connections (README).
WEB_WORKERS ?= $(shell n=$$(( $$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) * 2 + 1 )); echo $$(( n < 8 ? n : 8 )))
WEB_THREADS ?= 4
# The first Python >= 3.12 on PATH (pyenv honours .python-version, which says 3.13).
BOOTSTRAP_PYTHON := $(shell for c in python3.13 python3.12 python3 python; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$c; break; fi; done)

.PHONY: run test serve lint format messages bench load backup-drill install migrate data clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 vai jaunāks nav atrasts (vajag Django 6.1)."; exit 1; }
	test -x $(PY) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

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
## (pytest-xdist, one test database per worker; the browser tests share one worker and one
## Chromium). TEST_WORKERS=0 runs it in one process.
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## make serve: production-like (debug off, whitenoise, gunicorn) on http://127.0.0.1:8000
## Each request is logged once, by the application (kopienas.requests, with its request id);
## gunicorn's own access log stays off (README, "Operations: logs and health checks").
serve: install
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
	  DJANGO_SERVE_MEDIA="$${DJANGO_SERVE_MEDIA:-1}" \
	  WEB_THREADS="$(WEB_THREADS)"; \
	$(MANAGE) collectstatic --no-input -v0 && \
	$(MANAGE) migrate --no-input && $(MANAGE) createcachetable && \
	$(VENV)/bin/gunicorn kopienas.wsgi --bind $(HOST):$(PORT) \
	  --workers $(WEB_WORKERS) --threads $(WEB_THREADS) \
	  --max-requests 2000 --max-requests-jitter 200

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
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-* media bench-data
