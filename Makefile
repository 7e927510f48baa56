# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on demand.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp
DBT_DIR := dbt_project
MANIFEST := $(DBT_DIR)/target/manifest.json
# The build backend, pinned in the lock too (pip freeze hides it); used with --no-build-isolation.
SETUPTOOLS := setuptools==80.9.0
# Everything dbt parses; directories too, so that adding or deleting a file re-parses.
DBT_SOURCES := $(shell find $(DBT_DIR) \( -path $(DBT_DIR)/target -o -path $(DBT_DIR)/logs \
	-o -path $(DBT_DIR)/dbt_packages \) -prune -o \( -type d -o -name '*.sql' -o -name '*.yml' \
	-o -name '*.yaml' -o -name '*.csv' -o -name '*.md' \) -print)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup run test lint clean lock fonts browser bench distributed

setup: $(STAMP) $(MANIFEST)

# Stale when the lock or the project metadata changed; a no-op otherwise.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# Dagster reads the dbt project from its manifest; re-parse when any dbt file changes.
# A full parse with absolute paths and the default warehouse's working copy, as `budget-etl run`
# builds it (dbt runs on warehouse/budget.duckdb.building, then the copy replaces the warehouse): its
# partial_parse.msgpack is then reused by the run's `dbt build` (and seeds resolve wherever dbt runs).
$(MANIFEST): $(STAMP) $(DBT_SOURCES) Makefile
	BUDGET_WAREHOUSE="$${BUDGET_WAREHOUSE:-$(CURDIR)/warehouse/budget.duckdb}.building" $(BIN)/dbt parse --quiet \
		--no-partial-parse --project-dir $(CURDIR)/$(DBT_DIR) --profiles-dir $(CURDIR)/$(DBT_DIR)
	@touch $@

run: setup
	$(BIN)/budget-etl run

# Later tests render PDFs with a CJK font; install it when missing and we may (non-fatal).
fonts:
	@fc-list 2>/dev/null | grep -qi wqy && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei) \
			|| echo "warning: could not install fonts-wqy-microhei" >&2; \
	else echo "warning: font WenQuanYi missing (apt-get install fonts-wqy-microhei)" >&2; fi

# The docs-site test drives headless Chromium; install it when missing and we may (non-fatal: it skips).
browser:
	@command -v chromium >/dev/null 2>&1 && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
			|| echo "warning: could not install chromium (the browser test will skip)" >&2; \
	else echo "warning: chromium missing (apt-get install chromium); the browser test will skip" >&2; fi

test: setup fonts browser
	$(BIN)/pytest -q --durations=25 tests

# Benchmarks print numbers (never a test; benchmarks/RESULTS.md keeps the recorded ones): the real
# PDFs in ../shared/real, 100 synthetic documents end to end, analysts' queries on 1,000 documents.
# One of them: make bench BENCH="pipeline --documents 20"; append to a file: BENCH="--results F all".
# At scale (issue 16, not in `all`: an hour or more): BENCH=scale (full build and nightly runs on
# 1,000 / 10,000 / 100,000 replicated documents; BENCH="scale --documents 1000,10000"), BENCH=publish
# (copy, rename and A/B publishing of 1 GB and 4.5 GB files).
# The phases of one run: .venv/bin/python -m benchmarks.timeline.
BENCH ?= all
bench: setup fonts
	$(BIN)/python -m benchmarks.bench $(BENCH)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .venv-clients warehouse .dagster $(DBT_DIR)/target $(DBT_DIR)/logs .pytest_cache .ruff_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Regenerate requirements.lock from a clean venv with the direct pins of pyproject.toml.
# The optional distributed executors and run storage (docs/scaling.md), pinned; their config tests
# (tests/integration/test_scaling_config.py) skip without them. CI installs them.
distributed: setup
	$(BIN)/pip install --quiet -r requirements-distributed.lock -c requirements.lock

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet $(SETUPTOOLS) && .lockvenv/bin/pip install --quiet '.[dev]'
	{ echo "# Exact pins for .venv: make lock (pip freeze of a clean venv with pyproject's pins)."; \
	  .lockvenv/bin/pip freeze --all --exclude pip --exclude budget-warehouse; } > requirements.lock
	rm -rf .lockvenv build
