# The two commands a newcomer needs: `make run` serves the shop, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

WORKERS ?= 3
BIND ?= 127.0.0.1:$(PORT)
# Seconds a request may take before gunicorn restarts its worker. Slow work (an ONIX
# import, email) runs in the job worker (`make worker`), never in a request.
TIMEOUT ?= 30

.PHONY: run serve worker test install install-dev lint format check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Bookshop needs Python 3.11 or newer (found $$($(PYTHON) --version 2>&1))."; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Local development settings for manage.py: with them, every command the README shows runs
# as written in this checkout. Only manage.py reads .env (see its docstring), never gunicorn.
.env:
	@printf '# Local development settings, read by manage.py (variables set in the\n# environment win). Written by `make run`; production has no .env.\nDEBUG=1\n' > $@
	@echo "Wrote .env (DEBUG=1) for local development."

# Local development: DEBUG on (unless set), SQLite unless DATABASE_URL says otherwise. The
# development server and one job worker run side by side; Ctrl-C stops both.
run: export DEBUG ?= 1
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_local 127.0.0.1:$(PORT)

# Production: DEBUG off, SECRET_KEY, ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL, HTTPS...)
# from the environment; gunicorn serves, WhiteNoise serves the hashed static files.
serve: export DEBUG ?= 0
serve: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn bookshop.wsgi --workers $(WORKERS) --bind $(BIND) --timeout $(TIMEOUT) \
		--access-logfile - --max-requests 5000 --max-requests-jitter 500

# Production: a job worker (run one or more, on any machines sharing the database). It runs
# queued jobs and enqueues the housekeeping schedule's; SIGTERM lets the current job finish.
worker: export DEBUG ?= 0
worker: install
	$(BIN)/python manage.py worker --no-reload --queue-name default

# The browser tests' tools from package.json (the Nu HTML checker, axe-core), reinstalled
# when package.json or its lock changes. Without npm the browser tests skip (CI needs them).
NPM := $(shell command -v npm 2>/dev/null)
ifneq ($(NPM),)
TEST_TOOLS := node_modules/.package-lock.json
endif

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

test: install-dev $(TEST_TOOLS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
