# Two commands a newcomer needs: `make run` (serve on SQLite + a local object-store folder, starter
# course loaded) and `make test` (the whole suite). Both set up the virtualenv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

# First run: .venv takes ≈1.5 GB (it measures 1.4 GB) and ≈4 minutes to fill on a fast line; pip's own
# progress bars show what it is doing. Later runs skip this step until pyproject.toml changes.
$(STAMP): pyproject.toml
	@echo "==> setting up $(VENV): about 4 minutes and 1.5 GB of disk the first time (numpy, scipy, spaCy, estnltk)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)
	@echo "==> $(VENV) ready"

run: $(STAMP)
	$(BIN)/keelerada migrate
	$(BIN)/keelerada content upload --publish content
	@echo "==> serving on http://127.0.0.1:8000 (Ctrl-C stops it); try the curl journey in README.md"
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
