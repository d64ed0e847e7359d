# hromada — the front door.
#
#   make run        fresh machine → venv, packages, migrations, demo city, server + task worker
#   make test       the whole suite: SQLite, PostgreSQL (throwaway cluster), browser (Chromium)
#   make test-fast  SQLite only, no browser: the developer's loop
#   make bench      throughput of the main pages against a trivial "ceiling" view
#   make lint       ruff + mypy
#
# Stamp files make a second run fast: nothing is reinstalled while requirements.lock,
# package-lock.json and the front-end sources are unchanged; `hromada demo` loads the demo once.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Parallel test processes (pytest-xdist); tests are isolated, each worker has its own database.
TEST_JOBS ?= 2
PYTEST_ARGS ?=

export HROMADA_DATA_DIR ?= $(CURDIR)/var
export PORT

PY_STAMP := $(VENV)/.stamp-python
NPM_STAMP := node_modules/.stamp-npm
VENDOR_STAMP := src/hromada/static/vendor/.stamp-build
FRONTEND_SRC := $(wildcard frontend/*)
STATIC_SRC := $(shell find src/hromada -path '*/static/*' -type f -not -path '*/static/vendor/*' 2>/dev/null)
LOCALE_PO := $(shell find src/hromada -name '*.po' -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: help run test test-fast test-sqlite test-postgres test-browser bench lint \
	system-deps-run system-deps-test system-deps-bench python npm frontend messages clean

help:
	@sed -n '2,8p' Makefile | sed 's/^# \{0,1\}//'

# --- installation ----------------------------------------------------------------------
system-deps-run:
	@bash scripts/system-deps.sh run
system-deps-test:
	@bash scripts/system-deps.sh test
system-deps-bench:
	@bash scripts/system-deps.sh bench

$(PY_STAMP): requirements.lock pyproject.toml
	@bash scripts/system-deps.sh run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NPM_STAMP): package.json package-lock.json
	@bash scripts/system-deps.sh run
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR_STAMP): $(NPM_STAMP) $(FRONTEND_SRC)
	npm run --silent build
	touch $@

python: $(PY_STAMP)
npm: $(NPM_STAMP)
frontend: $(VENDOR_STAMP)

# Compiled translations (.mo) are built from the .po files next to them.
messages: $(PY_STAMP)
	@if [ -n "$(LOCALE_PO)" ]; then cd src/hromada && ../../$(BIN)/hromada compilemessages -v0; fi

$(HROMADA_DATA_DIR)/.stamp-static: $(PY_STAMP) $(VENDOR_STAMP) $(STATIC_SRC)
	@mkdir -p "$(HROMADA_DATA_DIR)"
	$(BIN)/hromada collectstatic --noinput -v0
	touch $@

# --- run ---------------------------------------------------------------------------------
# Human-readable logs on the terminal unless LOG_FORMAT says otherwise.
run: export LOG_FORMAT := $(or $(LOG_FORMAT),console)
run: $(PY_STAMP) $(VENDOR_STAMP) messages $(HROMADA_DATA_DIR)/.stamp-static
	$(BIN)/hromada migrate --noinput -v0
	@# Loads the demo city once (it checks), then prints the demo logins every time.
	$(BIN)/hromada demo
	exec $(BIN)/hromada serve --port $(PORT) --with-worker

# --- tests --------------------------------------------------------------------------------
# SQLite, then PostgreSQL, then the browser; every stage runs, any failure fails the target
# (pytest's "no tests collected", exit 5, included).
test: system-deps-test $(PY_STAMP) $(VENDOR_STAMP) messages
	TEST_JOBS=$(TEST_JOBS) bash scripts/test.sh $(PYTEST_ARGS)

test-fast: $(PY_STAMP) $(VENDOR_STAMP) messages
	$(BIN)/pytest -n $(TEST_JOBS) -m "not browser" $(PYTEST_ARGS)

test-sqlite: test-fast

test-postgres: system-deps-test $(PY_STAMP) $(VENDOR_STAMP) messages
	bash scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_JOBS) -m "not browser" $(PYTEST_ARGS)

test-browser: system-deps-test $(PY_STAMP) $(VENDOR_STAMP) messages
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# --- benchmark ------------------------------------------------------------------------------
bench: system-deps-bench $(PY_STAMP) $(VENDOR_STAMP) messages
	bash scripts/with-postgres.sh $(BIN)/python bench/run.py

# --- code quality -------------------------------------------------------------------------
lint: $(PY_STAMP)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) node_modules src/hromada/static/vendor test-artifacts bench/results
