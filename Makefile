# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# The suite runs in this many processes (pytest-xdist): about twice as fast on 2 cores.
TEST_WORKERS ?= 2
# The worker runs without the autoreloader (db_worker reloads when DEBUG is on by default):
# runserver has its own, and two of them printed "Watching for file changes" twice.
# A local demo runs with DEBUG on (so seed_demo may create the demo accounts); production never uses make run.
# QR codes and e-mail links point at the port served, unless SITE_BASE_URL is set.
RUN_ENV := DEBUG=$${DEBUG:-1} SITE_BASE_URL=$${SITE_BASE_URL:-http://127.0.0.1:$(PORT)}
# Tests run with DEBUG off, like production; they need some key.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret}

.PHONY: help run test lint venv deps test-deps node-deps translations migrate seed e2e lighthouse clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# XStatic-Bootstrap ships only an sdist whose setup.py imports pkg_resources.
	$(PIP) install --quiet "setuptools<81" wheel

$(VENV)/.deps: requirements.txt | $(PY)
	$(PIP) install --quiet --no-build-isolation -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet --no-build-isolation -r requirements-test.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
test-deps: $(VENV)/.test-deps

# Test tools from npm (package.json): axe-core for the browser tests, lighthouse for
# bench/lighthouse.py. Nothing from node_modules is served. Needs node and npm (Debian: apt install npm).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
node-deps: node_modules/.package-lock.json ## Install the npm test tools (npm ci) when missing or stale

translations: deps ## Compile the translation catalogs (.po -> .mo)
	$(RUN_ENV) $(PY) manage.py compiletranslations

run: deps translations ## Install, migrate, load the demo data on first run, serve on PORT (8000)
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT) with a background worker for long jobs (Ctrl-C stops both)."
	$(RUN_ENV) sh -c '$(PY) manage.py db_worker -v0 --no-reload & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)'

test: test-deps node-deps ## Install the test requirements and run the whole suite (DATABASE_URL picks the database)
	$(TEST_ENV) $(PY) manage.py compiletranslations
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

e2e: test-deps node-deps ## Only the browser tests (needs /usr/bin/chromium)
	$(TEST_ENV) $(PY) manage.py compiletranslations
	$(TEST_ENV) $(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: test-deps ## ruff, the import contract (layers), migrations check, Django checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py check

clean: ## Remove the virtualenv, caches and the local database
	rm -rf $(VENV) .pytest_cache .ruff_cache db.sqlite3 db.sqlite3-wal db.sqlite3-shm media-private
	find . -name __pycache__ -prune -exec rm -rf {} +
