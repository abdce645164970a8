# Two commands a newcomer needs: `make run` (serve on SQLite + a local object-store folder, starter
# course loaded) and `make test` (the whole suite). Both set up the virtualenv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/keelerada migrate
	$(BIN)/keelerada content upload --publish content/eesti-a1-a2
	$(BIN)/keelerada serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python scripts/bench/recall.py ../shared/data/reviews/anki_josh_2024.csv
	$(BIN)/python scripts/bench/scheduling.py
	$(BIN)/python scripts/bench/placement.py
	$(BIN)/python scripts/bench/content_upload.py

clean:
	rm -rf var .pytest_cache
