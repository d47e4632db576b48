# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format messages install

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x).")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

# axe-core, which the browser tests inject into every page they reach.
NODE_INSTALLED := node_modules/.package-lock.json
$(NODE_INSTALLED): package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the accessibility checks." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_INSTALLED)

install: $(INSTALLED) $(NODE_INSTALLED)

## Start the whole platform on embedded defaults: web, Celery worker and beat.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Open http://127.0.0.1:8000 (Ctrl-C stops web, worker and beat)."
	$(VENV)/bin/honcho --procfile Procfile.dev start

## The whole test suite (browser journeys included).
test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint templates --reformat

## Refresh the translation catalogues (needs GNU gettext), then compile them.
messages: install
	$(PY) manage.py makemessages --locale fr --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'
