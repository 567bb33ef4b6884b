# protutor: `make run` serves the demo college, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=true

.PHONY: setup run test lint fmt typecheck check assets demo migrate clean load bench lock

setup: $(VENV)/.installed

# Installing never resolves: deploy/install.sh takes exactly what the lock names, with hashes, then runs
# `pip check` (docs/adr/0013-installing-from-the-lock.md).
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml deploy/install.sh
	PYTHON=$(PYTHON) bash deploy/install.sh $(VENV) --dev
	touch $@

# The one command that resolves: it rewrites the lock files from requirements.in and requirements-dev.in
# with pip-tools in a virtualenv of its own, keeping every pin that still fits. To move a dependency:
# `make lock LOCK_UPGRADE="--upgrade-package NAME"` (or LOCK_UPGRADE=--upgrade for everything).
LOCK_VENV := var/lock-venv
LOCK_FLAGS := --quiet --allow-unsafe --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.6.2; }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_UPGRADE) --output-file=requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_UPGRADE) --output-file=requirements-dev.txt requirements-dev.in

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: axe-core comes from axe-playwright-python instead"; fi

migrate: setup
	$(DEV_ENV) $(BIN)/protutor migrate --no-input

demo: migrate
	$(DEV_ENV) $(BIN)/protutor demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl+C stops it)"
	$(DEV_ENV) $(BIN)/protutor runserver 127.0.0.1:8000

# Two workers (the machine has two cores); worksteal evens out the long browser crawls at the end.
# 3,546 tests: 7.5 minutes on SQLite, 11.5 on PostgreSQL (docs/performance-of-the-suite.md).
# TEST_ARGS passes options to pytest: CI's PostgreSQL pass uses TEST_ARGS='-m "not browser"'.
TEST_ARGS ?=
test: setup node_modules/.package-lock.json
	$(BIN)/pytest -n 2 --dist worksteal $(TEST_ARGS)

# The load test (bench/load.py): the demo under gunicorn, 2 workers, for LOAD_SECONDS (default 300).
LOAD_SECONDS ?= 300
load: setup
	$(BIN)/python bench/load.py --duration $(LOAD_SECONDS)

# The benchmarks (docs/performance.md): pages at college and trust scale on SQLite and on the PostgreSQL
# server on localhost (data made afresh: a few minutes), throughput under gunicorn, then the optimisers.
BENCH_JSON ?= bench/out/bench.json
bench: setup
	$(BIN)/python bench/run.py --generate --json $(BENCH_JSON)
	$(BIN)/python bench/coaching_matching.py
	$(BIN)/python bench/ite_timetable.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --no-incremental: the django-stubs plugin does not see a changed settings type in a cached run.
typecheck: setup
	$(DEV_ENV) $(BIN)/mypy --no-incremental protutor

check: lint
	$(DEV_ENV) $(BIN)/protutor makemigrations --check --dry-run
	$(MAKE) test

assets:
	npm ci --no-audit --no-fund --loglevel=error
	npm run build
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js protutor/core/static/vendor/govuk-frontend.min.js
	sed -i 's|//# sourceMappingURL=govuk-frontend.min.js.map||' protutor/core/static/vendor/govuk-frontend.min.js
	cp node_modules/htmx.org/dist/htmx.min.js protutor/core/static/vendor/htmx.min.js

clean:
	rm -rf $(VENV) node_modules var staticfiles
