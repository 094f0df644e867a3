# Unwind: `make run` starts a demo clinic, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint format typecheck migrations-check messages clean bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= true
# Every process honcho starts (web, worker, beat) writes links with the port the web server
# really uses; honcho gives each process type its own PORT, so it is fixed here.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo's e-mails and text messages go to files under var/ (one per message), so the
# terminal shows only the address, the logins and how to stop.
run: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export SMS_BACKEND ?= file
run: $(STAMP)
	@mkdir -p var
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Unwind is starting on $(SITE_URL)/  (Ctrl-C stops web, worker and beat)"
	@echo "E-mails and text messages it sends are written to var/mail and var/sms."
	@echo ""
	@$(BIN)/honcho start --port $(PORT) -f Procfile

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy clinic therapists intake booking workspace

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

# Extract the translatable strings into locale/*/django.po (needs GNU gettext's xgettext), then
# compile every catalogue with polib (pure Python); commit both the .po and the .mo files.
messages: export DEBUG ?= true
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l nl -l es --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=node_modules --ignore=tests
	$(BIN)/python manage.py compile_catalogues

# Benchmarks in a dedicated PostgreSQL database (its name must contain "bench": the generator
# drops and rebuilds it) and a Redis database of their own; docs/performance.md has figures.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unwind_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export REDIS_URL = $(BENCH_REDIS_URL)
bench: $(STAMP)
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get install -y wrk; } || { echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python -m bench.chain
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python -c "import bench.common as c; c.setup(); from django.core.management import call_command; call_command('collectstatic', '--noinput', verbosity=0)"
	$(BIN)/python bench/availability_bench.py
	$(BIN)/python -m bench.inprocess
	$(BIN)/python -m bench.http
	$(BIN)/python -m bench.fanout

clean:
	rm -rf var/broker var/celerybeat-schedule* var/static
