# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SOURCE ?= $(or $(JSNA_SOURCE),../shared/data)
DB ?= $(or $(JSNA_DB),data/jsna.duckdb)
PORT ?= 8501
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint unit e2e bench data rebuild chromium nginx clean

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

# Debian's nginx for the 3-replica benchmark (deploy/nginx.conf).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(SUDO) apt-get update && \
		$(SUDO) apt-get install -y --no-install-recommends nginx; }

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

# Pages at Trafford and England size, then 20 browser sessions on one process and through
# nginx to 3 replicas. Figures go to the terminal and artifacts/.
bench: $(DB) $(VENV)/.dev chromium nginx
	JSNA_DB=$(DB) JSNA_SOURCE=$(SOURCE) $(PY) bench/run.py $(BENCH_ARGS)
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --profile 20 --check-browser \
		| tee artifacts/wsload.txt
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --think 10 \
		| tee artifacts/wsload_think.txt
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --replicas 3 \
		| tee artifacts/wsload_replicas.txt
	$(PY) -m bench.sessions --db $(DB) --sessions 20 | tee artifacts/sessions.txt
	$(PY) deploy/bench_replicas.py --db $(DB) --source $(SOURCE) --replicas 3 --sessions 20 \
		| tee artifacts/replicas.txt

clean:
	rm -rf $(VENV) $(DB) artifacts
