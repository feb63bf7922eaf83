# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SOURCE ?= $(or $(JSNA_SOURCE),../shared/data)
DB ?= $(or $(JSNA_DB),data/jsna.duckdb)
PORT ?= 8501
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint unit e2e bench data rebuild chromium clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && \
		$(SUDO) apt-get install -y --no-install-recommends chromium; }

$(DB): $(VENV)/.runtime $(wildcard jsna/*.py profiles/*.toml)
	$(PY) -m jsna.build --source $(SOURCE) --out $(DB)

data: $(DB)

rebuild:
	$(PY) -m jsna.build --source $(SOURCE) --out $(DB)

run: $(DB)
	JSNA_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(VENV)/.dev chromium lint
	JSNA_SOURCE=$(SOURCE) $(VENV)/bin/pytest

unit: $(VENV)/.dev
	JSNA_SOURCE=$(SOURCE) $(VENV)/bin/pytest -m "not e2e"

e2e: $(VENV)/.dev chromium
	JSNA_SOURCE=$(SOURCE) $(VENV)/bin/pytest -m e2e

bench: $(DB) $(VENV)/.dev
	JSNA_DB=$(DB) JSNA_SOURCE=$(SOURCE) $(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DB) artifacts
