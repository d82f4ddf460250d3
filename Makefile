# The front door. Every target sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with DEBUG off, as in production; the key only signs test sessions.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=tests-only-not-secret
DEV_ENV := DJANGO_DEBUG=1

.PHONY: install run test lint format messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

## run: set up, migrate, load the demo archive and serve it on $(HOST):$(PORT)
run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py ensure_staff_login --url http://$(HOST):$(PORT)/admin/
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the whole suite (set DATABASE_URL for PostgreSQL); ARGS= passes options to pytest
test: install
	$(TEST_ENV) DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest $(ARGS)

## lint: ruff's lint and format checks
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: rebuild the ja and en catalogs after UI strings change (needs GNU gettext);
## new Japanese entries then need translating in activities/locale/ja/LC_MESSAGES/django.po
EN_PO := activities/locale/en/LC_MESSAGES/django.po
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ja -l en --no-obsolete --no-location --ignore=.venv --ignore=tests
	msgen -o $(EN_PO) $(EN_PO)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
