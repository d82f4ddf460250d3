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

# The browser tests drive Debian's Chromium through its chromedriver; the cache
# tests start Redis servers of their own; the served-site tests list gunicorn's
# workers with ps.
BROWSER := /usr/bin/chromium /usr/bin/chromedriver
TEST_SERVERS := /usr/bin/redis-server /usr/bin/ps
# The cluster tests (and make cluster) put Debian's nginx in front of two gunicorns.
NGINX := /usr/sbin/nginx
# The accessibility checks run Deque's axe-core in that browser: taken from the npm
# registry into the virtualenv, at a fixed version.
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
# The W3C's Nu Html Checker checks the pages' HTML: vnu.jar from the npm registry,
# run on Java (Debian's headless runtime when the machine has none).
VNU_VERSION := 26.9.27
VNU := $(VENV)/vnu-$(VNU_VERSION)/node_modules/vnu-jar/build/dist/vnu.jar
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

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
test: install $(BROWSER) $(TEST_SERVERS) $(NGINX) $(AXE) $(VNU)
	$(TEST_ENV) DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) AXE_JS=$(AXE) VNU_JAR=$(VNU) $(BIN)/pytest $(ARGS)

$(VNU): | $(STAMP)
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm; }
	command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends default-jre-headless; }
	npm install --prefix $(VENV)/vnu-$(VNU_VERSION) --no-save --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION)
	test -f $@

$(AXE): | $(STAMP)
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm; }
	npm install --prefix $(VENV)/axe-$(AXE_VERSION) --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	test -f $@

$(BROWSER):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium chromium-driver fonts-noto-cjk

$(TEST_SERVERS):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		redis-server procps

$(NGINX):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nginx

.PHONY: serve cluster loadtest backup restore

## serve: production mode (DEBUG off) with gunicorn on $(HOST):$(PORT); needs
## DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (README, "Production")
serve: install
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v 0
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi

## cluster: nginx on 127.0.0.1:8100 in front of two gunicorns (8101, 8102) sharing
## PostgreSQL, Redis and the photos (bench/cluster.py); Ctrl-C stops them all
cluster: install $(NGINX) /usr/bin/redis-server
	$(BIN)/python bench/cluster.py

## loadtest: 60 s of good and malformed URLs against gunicorn on PostgreSQL (127.0.0.1 only);
## URL=http://127.0.0.1:8100 loads a server already running (make cluster) instead
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cityties_load
LOAD_PORT ?= 8765
loadtest: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=loadtest-only-not-secret DATABASE_URL=$(LOAD_DATABASE_URL) \
	DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_PROXY_SSL_HEADER=1 DJANGO_LOG_LEVEL=WARNING \
	$(BIN)/python bench/loadtest.py $(if $(URL),--url $(URL),--serve --url http://127.0.0.1:$(LOAD_PORT))

.PHONY: world-map

## world-map: rebuild static/maps/world.svg and activities/data/world.json (both
## committed) from Natural Earth's countries as the npm package world-atlas has them
WORLD_ATLAS_VERSION := 2.0.2
world-map: install
	npm install --prefix $(VENV)/world-atlas-$(WORLD_ATLAS_VERSION) --no-save --no-audit --no-fund --loglevel=error world-atlas@$(WORLD_ATLAS_VERSION)
	$(DEV_ENV) $(BIN)/python manage.py build_world_map $(VENV)/world-atlas-$(WORLD_ATLAS_VERSION)/node_modules/world-atlas/countries-110m.json

.PHONY: bench

## bench: seed N activities (default 100000; make bench N=20000) into databases of its own
## and measure the public pages against /healthz under gunicorn, on SQLite and PostgreSQL;
## BENCH_SECONDS= per page (default 10). Results in bench/results/ (README, "Performance")
N ?= 100000
BENCH_SECONDS ?= 10
WRK := /usr/bin/wrk
bench: install $(WRK) $(NGINX)
	$(BIN)/python bench/run.py --n $(N) --seconds $(BENCH_SECONDS)

$(WRK):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends wrk

# Backup and restore use the environment as it is (DEBUG stays off); they sign
# nothing, so without DJANGO_SECRET_KEY (the local embedded default) any key does.
BACKUP_ENV := $(if $(DJANGO_SECRET_KEY),,DJANGO_SECRET_KEY=backup-signs-nothing)

## backup: the database and the photos into backups/<date-time> (OUT= another folder)
backup: install
	$(BACKUP_ENV) $(BIN)/python manage.py backup $(if $(OUT),--output $(OUT))

## restore: BACKUP=<folder> replaces every row of the database and restores the photos
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<date-time>" >&2; exit 2; }
	$(BACKUP_ENV) $(BIN)/python manage.py restore $(BACKUP)

## lint: ruff's lint and format checks, then mypy's type checks (pyproject.toml)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: rebuild the ja and en catalogs after UI strings change (needs GNU gettext);
## new Japanese entries then need translating in activities/locale/ja/LC_MESSAGES/django.po
EN_PO := activities/locale/en/LC_MESSAGES/django.po
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ja -l en --no-obsolete --no-location --ignore=.venv --ignore=tests
	msgattrib --clear-fuzzy --empty -o $(EN_PO) $(EN_PO)
	msgen -o $(EN_PO) $(EN_PO)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
