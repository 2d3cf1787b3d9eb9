# lawreport developer and batch targets. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
INPUT ?= data/raw
OUTPUT ?= data/out

.PHONY: install run extract test lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run extract: install
	$(BIN)/lawreport extract $(INPUT) --output $(OUTPUT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

format: install
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

bench: install
	$(BIN)/python scripts/bench.py

clean:
	find $(OUTPUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build src/*.egg-info .bench
	find . -name __pycache__ -not -path './$(VENV)/*' -exec rm -rf {} +
