# Inspection case management — everyday commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app inspect_app
PORT ?= 5000
WORKERS ?= 2
PYTEST_ARGS ?= -n 2

.DEFAULT_GOAL := help

.PHONY: help venv install install-dev db seed admin fonts setup run dev test test-sqlite test-postgres test-pg-server journeys soak lint \
        translations-extract translations-update translations-compile clean demo demo-data bench bench-quick

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# setuptools prints a BuildBackendWarning box on every editable install, whatever the editable mode ("be
# careful with folders named like the packages"); the install step alone runs with UserWarnings ignored
QUIET_BUILD := PYTHONWARNINGS=ignore::UserWarning

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(QUIET_BUILD) $(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(QUIET_BUILD) $(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/bin/python ## Create the virtual environment (.venv)

install: $(VENV)/.installed ## Install the app and its dependencies into .venv

install-dev: $(VENV)/.installed-dev ## Install the app with the test tools

db: install ## Upgrade the database to the latest migration (DATABASE_URL, default: instance/inspect.db)
	$(FLASK) db upgrade

seed: db ## Load the reference data (communes, former districts/wards, violation catalog, plan tasks)
	$(FLASK) seed-reference

admin: seed ## Create the first administrator 'admin' if none exists and print its password
	$(FLASK) ensure-admin

fonts: ## Check for the report's serif font (Liberation Serif, Debian fonts-liberation2); install it when root
	@if fc-list 2>/dev/null | grep -q "Liberation Serif"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing fonts-liberation2 (the annual report's Times-metric serif)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-liberation2 fontconfig >/dev/null; \
	else echo "NOTE: install fonts-liberation2 (sudo apt-get install fonts-liberation2) for the annual report's PDF font"; fi

setup: admin fonts ## Everything `run` needs: venv, database, reference data, first admin, the report's font

# The first administrator's one-time password is the last thing printed before the server's request log
# (gunicorn's own start-up lines are left out: --log-level warning).
run: seed fonts ## Set everything up (as setup) and serve the app with gunicorn on 127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	@$(FLASK) ensure-admin
	@$(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --log-level warning --access-logfile - 'inspect_app:create_app()'

dev: setup ## Serve with Flask's debug server (auto-reload)
	$(FLASK) run --debug --port $(PORT)

DEMO_DB ?= instance/demo.db
DEMO_CASES ?= 2000
DEMO_URL := sqlite:///$(abspath $(DEMO_DB))
DEMO_EVIDENCE ?= $(dir $(DEMO_DB))demo-evidence
DEMO_ENV := DATABASE_URL=$(DEMO_URL) UPLOAD_FOLDER=$(abspath $(DEMO_EVIDENCE))

demo-data: install ## Build a fresh instance/demo.db (DEMO_DB) and its evidence files (instance/demo-evidence) with DEMO_CASES=2000 demo cases; prints the demo accounts
	@mkdir -p $(dir $(DEMO_DB))
	rm -rf $(DEMO_DB) $(DEMO_EVIDENCE)
	$(DEMO_ENV) $(FLASK) db upgrade
	$(DEMO_ENV) $(FLASK) seed-reference
	$(DEMO_ENV) $(FLASK) demo-data --cases $(DEMO_CASES)

demo: demo-data ## A living system: fresh demo data (above), then serve it with gunicorn on 127.0.0.1:5000 (PORT)
	@echo "Serving the demo on http://127.0.0.1:$(PORT)  (sign in with an account listed above; Ctrl+C to stop)"
	$(DEMO_ENV) $(VENV)/bin/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) 'inspect_app:create_app()'

bench: install-dev ## Benchmarks at 10,000 and 100,000 cases, SQLite and PostgreSQL (BENCH/TEST_DATABASE_URL); writes docs/performance.md
	$(PY) -m benchmarks $(BENCH_ARGS)

bench-quick: install-dev ## The benchmarks at 10,000 cases only
	$(PY) -m benchmarks --sizes 10000 $(BENCH_ARGS)

test: install-dev ## Run the tests on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(MAKE) --no-print-directory test-postgres || status=1; \
	elif [ -n "$$CI" ]; then \
	  echo "CI: TEST_DATABASE_URL is not set, the PostgreSQL suite cannot run" >&2; status=1; \
	else \
	  echo "NOTE: the PostgreSQL suite was not run; start one with: eval \"\$$(make -s test-pg-server)\""; \
	fi; \
	exit $$status

test-sqlite: install-dev ## Run the tests on SQLite only
	@echo "=== test suite on SQLite ==="
	env -u TEST_DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install-dev ## Run the tests on PostgreSQL (needs TEST_DATABASE_URL)
	@test -n "$$TEST_DATABASE_URL" || { echo "set TEST_DATABASE_URL" >&2; exit 1; }
	@echo "=== test suite on PostgreSQL ==="
	$(PY) -m pytest $(PYTEST_ARGS)

journeys: install-dev ## Only the browser journeys of every role, at 1366 and 390 px (screenshots in test-artifacts/journeys/)
	$(PY) -m pytest tests/browser/journeys $(PYTEST_ARGS)

test-pg-server: ## Start a throwaway PostgreSQL for the tests and print TEST_DATABASE_URL
	@scripts/test-postgres.sh start

soak: install-dev ## Load and fault soak (~3 min): 50 users on gunicorn + its own PostgreSQL, worker kill, PostgreSQL restart, SQLite writers
	$(PY) benchmarks/soak.py $(SOAK_ARGS)

lint: install-dev ## Check the code with ruff, the layering with import-linter (pyproject.toml's contracts), the types of cases/ and forms/ with mypy
	$(VENV)/bin/ruff check inspect_app cases forms tests benchmarks
	$(VENV)/bin/ruff format --check inspect_app cases forms tests benchmarks
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy cases forms

translations-extract: install-dev ## Extract translatable strings into inspect_app/translations/messages.pot
	$(VENV)/bin/pybabel extract -F babel.cfg --ignore-dirs='.* __pycache__ .venv node_modules' -k _l -k lazy_gettext -o inspect_app/translations/messages.pot --no-location --sort-output --width 110 .

translations-update: translations-extract ## Merge new strings into the vi and en catalogs
	$(VENV)/bin/pybabel update -i inspect_app/translations/messages.pot -d inspect_app/translations --no-fuzzy-matching --ignore-obsolete --width 110

translations-compile: install ## Compile the catalogs (.po → .mo)
	$(VENV)/bin/pybabel compile -d inspect_app/translations --statistics

clean: ## Remove the virtual environment and caches (keeps instance/ and its database)
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts *.egg-info
