# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV_INSTALLED := $(VENV)/.installed-dev
PORT ?= 8000
# make run is for development on this machine; production sets its own environment.
DEV_ENV := DEBUG=on

.PHONY: run test lint format clean

# The site's own dependencies only: `make run` needs nothing else.
$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	touch $(INSTALLED)

# Test and lint tools on top, installed by the targets that use them.
$(DEV_INSTALLED): $(INSTALLED)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(DEV_INSTALLED)

run: $(INSTALLED)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_catalog --if-empty
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite runs on SQLite, or on PostgreSQL when DATABASE_URL is set.
test: $(DEV_INSTALLED)
	SECRET_KEY=test-only-secret-key $(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(DEV_INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles
