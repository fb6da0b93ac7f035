# coprod — a newcomer needs only `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV := .dev

# Development values, set explicitly (settings default to production-safe values).
DEV_ENV = DJANGO_DEBUG=1 \
	DJANGO_SECRET_KEY=development-only-insecure-secret-key \
	COPROD_FIELD_ENCRYPTION_KEY=$$(cat $(DEV)/field-encryption.key) \
	EMAIL_URL=filemail://$(CURDIR)/$(DEV)/mail \
	COPROD_SITE_URL=http://127.0.0.1:8000

.PHONY: run test install assets browser lint fmt worker beat messages lock clean bench

run: install assets $(DEV)/field-encryption.key
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py sync_periodic_tasks
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Two processes (pytest-xdist), one per core of the machine we run on; the tests that use a real
# Celery worker run one at a time (a lock on their broker database: tests/brokers.py).
test: install assets browser
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed
	npm run --silent build

# Browser tests use Debian's Chromium. Install it when we can; otherwise the tests skip with a reason.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y --no-install-recommends chromium >/dev/null)) || \
		echo "Could not install chromium: browser tests will be skipped"; \
	else echo "No /usr/bin/chromium and no root to install it: browser tests will be skipped"; fi

$(DEV)/field-encryption.key: | install
	mkdir -p $(DEV)/mail
	test -s $@ || $(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $@
	chmod 600 $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A coprod worker --loglevel INFO

beat: install
	$(BIN)/celery -A coprod beat --loglevel INFO

# The side-by-side benchmark (README, "Benchmark"; docs/performance.md): needs PostgreSQL and Redis
# on 127.0.0.1, builds its own database coprod_bench. Settings: `make bench BENCH_SECONDS=10`.
bench: install assets
	$(PY) -m bench.run

# Update the translation files (needs GNU gettext) after changing user-facing text.
MESSAGES_IGNORE = --ignore=node_modules --ignore=static --ignore=staticfiles --ignore=tests
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale=en_GB $(MESSAGES_IGNORE)

# Re-resolve the pinned versions from pyproject.toml in a throwaway environment.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^coprod' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
