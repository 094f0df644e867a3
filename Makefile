# Unwind: `make run` starts a demo clinic, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint format typecheck migrations-check clean

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
run: $(STAMP)
	@mkdir -p var
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Unwind is starting on $(SITE_URL)/  (Ctrl-C stops web, worker and beat)"
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

clean:
	rm -rf var/broker var/celerybeat-schedule* var/static
