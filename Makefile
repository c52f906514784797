# Gongshu public-culture platform. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres test-browser bench lint assets messages setup system-deps clean

# ---- set-up (each step reuses what exists) -------------------------------------------
.venv/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static_vendor/.copied: node_modules/.package-lock.json
	mkdir -p static_vendor/vendor
	cp node_modules/echarts/dist/echarts.min.js static_vendor/vendor/
	cp node_modules/htmx.org/dist/htmx.min.js static_vendor/vendor/
	touch $@

assets: static_vendor/.copied

.env: | .venv/.installed
	$(PY) -c "import secrets,base64,os; k=base64.urlsafe_b64encode(os.urandom(32)).decode(); \
	print(f'DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\nPERSONAL_DATA_KEY={k}\nPERSONAL_DATA_HASH_KEY={secrets.token_urlsafe(32)}')" > $@
	@echo "wrote .env with fresh local keys (never commit it)"

messages: .venv/.installed .env
	$(MANAGE) compile_translations

setup: .venv/.installed assets .env messages

# ---- the demo --------------------------------------------------------------------------
run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --seed 42
	@echo "Starting the background worker, the periodic jobs and the platform on http://$(HOST):$(PORT)"
	$(MANAGE) db_worker & worker=$$!; $(MANAGE) housekeeping --every 300 & keeper=$$!; \
	trap "kill $$worker $$keeper 2>/dev/null" EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT) --noreload

# ---- tests -----------------------------------------------------------------------------
system-deps:
	@bash scripts/system-deps.sh

# Both databases, browser tests included; see scripts/run-tests.sh. Extra pytest arguments: ARGS="-k login".
test: setup system-deps
	bash scripts/run-tests.sh $(ARGS)

test-sqlite: setup
	TEST_DATABASES=sqlite bash scripts/run-tests.sh $(ARGS)

test-postgres: setup system-deps
	TEST_DATABASES=postgresql bash scripts/run-tests.sh $(ARGS)

test-browser: setup system-deps
	TEST_DATABASES=sqlite bash scripts/run-tests.sh -m browser $(ARGS)

# The standards evaluation benchmark (bench/README.md): demo scale and BENCH_SCALE activity rows
# (default 5 million; the data are built once into BENCH_DIR and reused). Never fails for speed.
bench: setup
	$(PIP) install -q -c constraints.txt -e '.[bench]'
	$(PY) bench/run.py

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

clean:
	rm -rf .venv node_modules static_vendor staticfiles test-artifacts test_db*.sqlite3*
