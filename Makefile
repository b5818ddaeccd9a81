# Fayuan — two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := FAYUAN_ENV=development $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/fayuan
PYTEST_WORKERS ?= auto
PORT ?= 8000

.PHONY: run test test-sqlite test-pg test-calendar lint typecheck checks deploy-check static-check ci install sysdeps sysdeps-test seed \
	seed-base migrate clean bench bench-faults demo-reset

# uv installs the locked packages in seconds: on this machine a cold install took about 90 s with pip and about 25 s
# with uv, and about 9 s once uv's cache holds them. The venv is made without pip (ensurepip alone costs ~10 s); uv
# comes from the interpreter's own pip, pinned, into the user's cache (once per machine, shared by every clone), and
# puts pip in the venv for anyone who expects it. Without uv (no wheel for this machine) pip does the same, slower.
# --compile-bytecode writes the packages' .pyc at install (as pip does by default): where PYTHONDONTWRITEBYTECODE is
# set (this machine) no process would ever write them, and each one compiled Django, openpyxl, ... from source again
# (measured: settings and URLconf imported in 2.6-2.8 s without, 1.3 s with).
UV_VERSION := 0.13.9
UV_HOME ?= $(HOME)/.cache/fayuan/uv-$(UV_VERSION)
UV := $(UV_HOME)/bin/uv
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	test -x $(UV) || $(PYTHON) -m pip install --quiet --target $(UV_HOME) uv==$(UV_VERSION) || true
	if test -x $(UV); then $(UV) pip install --quiet --compile-bytecode --python $(PY) -r requirements.lock pip \
	  && $(UV) pip install --quiet --python $(PY) --no-deps -e .; \
	else $(PY) -m ensurepip --upgrade && $(PIP) install --quiet -r requirements.lock \
	  && $(PIP) install --quiet --no-deps -e .; fi
	touch $@

install: $(VENV)/.installed

# System packages. Installs only what is missing, so repeat runs cost nothing. The platform needs at run time:
# fonts-noto-cjk (Chinese glyphs in the PDFs), pango (WeasyPrint's layout), harfbuzz-subset (fast, deterministic font
# subsetting). Only the tests and the load harness need poppler-utils (the tests read the PDFs), chromium (browser
# tests) and wrk (bench): `make run` does not wait for them.
RUNTIME_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := poppler-utils chromium wrk rsync
define apt_install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
endef
sysdeps:
	$(call apt_install_missing,$(RUNTIME_PACKAGES))
sysdeps-test:
	$(call apt_install_missing,$(RUNTIME_PACKAGES) $(TEST_PACKAGES))

# An empty SQLite database is built straight from the models in seconds (core/management/commands/migrate_fresh.py);
# an existing one, and PostgreSQL always, runs the migrations.
migrate: install
	$(MANAGE) migrate_fresh --noinput

seed: migrate
	$(MANAGE) seed_demo

# Master data and the demo accounts only (a few seconds): enough to sign in with every demo account. The database
# is built (or migrated) in the same process: Django's start costs seconds.
seed-base: install
	$(MANAGE) seed_demo --stage base --migrate

# The site answers within seconds: the base stage runs first, then the web server, one background worker (SMS,
# PDFs, periodic jobs), the scheduler that enqueues the periodic jobs, and the rest of the demo data (persons, a
# year of history replayed through the services, duty, quality, ...; progress on the home page, output in
# var/seed_demo.log) run together; Ctrl-C stops them all. The background processes run where a non-interactive shell
# ignores SIGINT: the trap stops them (SIGTERM: the worker finishes its current task first, the seeder records that
# it was interrupted) and waits for them. No autoreload for the worker: its reloader would leave the real worker
# behind on SIGTERM. The scheduler starts once the seeder is done: its first tick runs today's daily jobs (expiring
# supplement requests, lapsing the recipients' choices, reminders), which would act on a half-replayed year.
# The seeder and the worker wait until the server answers: on two CPUs, four Django processes starting at once
# delayed the first page by seconds. The server runs without the autoreloader (its second process is another
# Django start; developers editing code run `manage.py runserver` themselves) and without repeating the system
# checks the base stage has just run.
UNTIL_UP = until $(PY) -c 'import urllib.request as u; u.urlopen("http://127.0.0.1:$(PORT)/healthz", timeout=2)' \
	2>/dev/null; do sleep 0.5; done
run: sysdeps seed-base
	@mkdir -p var
	@echo "法援平台: http://127.0.0.1:$(PORT)/  (演示账户见上表，双因素密钥见表下，仅限本机演示)"
	@echo "演示历史在后台生成（约 15 分钟，视机器而定），进度见首页，输出见 var/seed_demo.log"
	( $(UNTIL_UP); exec env $(MANAGE) seed_demo --stage rest >var/seed_demo.log 2>&1 ) & seeder=$$!; \
	( $(UNTIL_UP); exec env $(MANAGE) db_worker --no-reload ) & worker=$$!; \
	( while kill -0 $$seeder 2>/dev/null; do sleep 2; done; exec env $(MANAGE) run_scheduler ) & scheduler=$$!; \
	trap 'trap - EXIT INT TERM; kill $$seeder $$worker $$scheduler 2>/dev/null; wait $$seeder $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --noreload --skip-checks 127.0.0.1:$(PORT)

# Deletes the local SQLite demo database (the default one, or SQLITE_PATH) and starts afresh with `make run`: the
# way out of a history whose generation was interrupted (it cannot be resumed). Never touches PostgreSQL.
demo-reset:
	@if [ -n "$$DATABASE_URL" ]; then echo "DATABASE_URL 已设置：demo-reset 只删除本机 SQLite 演示数据库，请自行重建 PostgreSQL 数据库。"; exit 1; fi
	db="$${SQLITE_PATH:-var/fayuan.sqlite3}"; rm -f "$$db" "$$db-wal" "$$db-shm" var/seed_demo.log
	$(MAKE) run

test: sysdeps-test install test-sqlite

test-sqlite: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

test-pg: install
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

# The suite again with its clock at the coming new year, 00:05 China time (UTC is still in the old year): the tests
# that pass only on some days fail here, not on 1 January (config/pytest_env.py).
test-calendar: install
	FAYUAN_TEST_CLOCK=new-year $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

# ruff, then the import contract of pyproject.toml: imports run down the floors only (docs/design.md).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

typecheck: install
	FAYUAN_ENV=test $(VENV)/bin/mypy config fayuan bench

checks: install
	FAYUAN_ENV=test $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) deploy-check
	$(MAKE) static-check

# Production settings with throwaway secrets, for checks that must see what a real install sees.
PRODUCTION_ENV = FAYUAN_ENV=production SECRET_KEY="$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=fayuan.example.gov.cn \
	FIELD_ENCRYPTION_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet;print(Fernet.generate_key().decode())')" \
	FIELD_HASH_KEY="$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(32))')" \
	AUDIT_SEAL_KEY="$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(32))')" \
	AUDIT_SEAL_EXPORT_PATH=/var/lib/fayuan-audit/seals.jsonl CACHE_URL=redis://127.0.0.1:6379/0

# `check --deploy` under production settings: must produce zero warnings.
deploy-check: install
	$(PRODUCTION_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# `collectstatic` under production settings (manifest storage, into a throwaway directory): a file that a page,
# stylesheet or script names but that is not shipped fails here, instead of every page answering 500 in production.
static-check: install
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	$(PRODUCTION_ENV) STATIC_ROOT="$$tmp" $(PY) manage.py collectstatic --noinput --verbosity 0

# Load harness: gunicorn (5 workers) for the app and for a bare Django baseline on a private PostgreSQL instance,
# driven by wrk at 16 connections; each workload twice beside its baseline. BENCH_ARGS=--quick for a short run.
# Results: bench/results/load-<date>.json and a table of ratios. See README.md, "Load harness".
bench: sysdeps-test install
	$(PY) -m bench load $(BENCH_ARGS)

# Fault injection through gunicorn on a private PostgreSQL instance (initdb in a temporary folder; needs the
# PostgreSQL server binaries, and root for the full-disk tmpfs): SIGKILL mid-burst, PostgreSQL restarts, a full
# upload disk. Exit status 1 when a check fails. See docs/fault-injection.md.
bench-faults: install
	$(PY) -m bench faults $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
