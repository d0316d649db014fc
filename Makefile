# Gonghui — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
# The suite runs on PostgreSQL (row locks are real there); override to try another server.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gonghui
PYTEST_ARGS ?=
ONLY ?=

.PHONY: install demo test test-fast lint format bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py build_demo --if-empty
	@echo "Open http://127.0.0.1:8000/ (back office: http://127.0.0.1:8000/admin/)"
	@# The background worker (roster imports, daily housekeeping such as removing import files
	@# past their retention) runs beside the web server and stops with it.
	$(PY) manage.py schedule_housekeeping -v0
	$(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

test-fast: install
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n 2 -q -m "not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy src
	$(VENV)/bin/mypy --strict --follow-imports=silent src/gonghui/core  # the platform layer, strictly
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py $(ONLY)

clean:
	rm -rf var $(VENV)
