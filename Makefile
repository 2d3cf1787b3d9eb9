# lawreport developer and batch targets. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
INPUT ?= data/raw
OUTPUT ?= data/out

.PHONY: help install run extract test test-browser test-deps lint format bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+( [a-z-]+)*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

install: $(STAMP) ## Make .venv with lawreport (editable) and the dev tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run extract: install ## Extract INPUT (data/raw) into OUTPUT (data/out)
	$(BIN)/lawreport extract $(INPUT) --output $(OUTPUT)

test: install ## Run the test suite (no network: the browser test is `make test-browser`)
	$(BIN)/python -m pytest

test-browser: install test-deps ## The HTML report in headless Chromium (tests/browser; installs chromium once)
	$(BIN)/python -m pytest tests/browser

# The HTML report's test runs headless Chromium with a CJK font (Debian packages, ~25 s once).
test-deps: ## Install chromium and fonts-wqy-microhei when missing (apt; sudo when not root)
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'wenquanyi'; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

lint: install ## ruff check and format check
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

format: install ## ruff format and fix
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

bench: install ## The benchmark (scripts/bench.py)
	$(BIN)/python scripts/bench.py

clean: ## Remove OUTPUT and caches
	find $(OUTPUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build src/*.egg-info .bench
	find . -name __pycache__ -not -path './$(VENV)/*' -exec rm -rf {} +
