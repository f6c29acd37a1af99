# Tutor Match: `make run` serves the app, `make test` runs the checks. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := web

.PHONY: run test lint format bench translations screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d web/translations -f

run: $(STAMP) translations
	PORT="$(PORT)" $(BIN)/python scripts/run_dev.py

test: $(STAMP) translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m matching bench

# Regenerate docs/screenshots/*.png: demo data in a scratch SQLite, the app on a free port, Chromium.
screenshots: $(STAMP) translations
	$(BIN)/python scripts/screenshots.py

# Extract translatable strings and merge them into every catalogue.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o web/translations/messages.pot --no-location --sort-output -w 100 .
	$(BIN)/pybabel update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching --ignore-obsolete -w 100

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
