# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The build reads the repo's own copy of the place's inputs (data/trafford); the tests read a
# complete data folder (national and reference test files too): ../shared/data where it is
# beside the clone, else data/cache filled by `make fetch`. JSNA_SOURCE overrides both.
SOURCE ?= $(or $(JSNA_SOURCE),data/trafford)
MIRROR ?= $(or $(JSNA_SOURCE),$(if $(wildcard ../shared/data/national),../shared/data,data/cache))
DB ?= $(or $(JSNA_DB),data/jsna.duckdb)
PORT ?= 8501
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint unit fast e2e bench data fetch testdata rebuild chromium nginx clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download a browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && \
		$(SUDO) apt-get install -y --no-install-recommends chromium; }

# Debian's nginx for the 3-replica benchmark and the deploy tests (deploy/nginx.conf).
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { $(SUDO) apt-get update && \
		$(SUDO) apt-get install -y --no-install-recommends nginx; }

$(DB): $(VENV)/.runtime $(wildcard jsna/*/*.py jsna/*/*/*.py profiles/*.toml)
	$(PY) -m jsna.build --source $(SOURCE) --out $(DB)

data: $(DB)

# National and reference test files from their public origin (pooch, sha256 checked) into
# data/cache/, with data/trafford linked in. FETCH_ARGS="--mirror URL" to use a mirror.
fetch: $(VENV)/.runtime
	$(PY) -m jsna.build.fetch $(FETCH_ARGS)

# The tests' data folder: fetched once when neither ../shared/data nor JSNA_SOURCE gives one.
testdata: $(VENV)/.runtime
	@test -d $(MIRROR)/national || $(PY) -m jsna.build.fetch $(FETCH_ARGS)

rebuild:
	$(PY) -m jsna.build --source $(SOURCE) --out $(DB)

run: $(DB)
	JSNA_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# One pytest worker per core (pytest-xdist), tests handed out one by one as workers free up
# (a module's shared build may then be made on both workers: still faster from a fresh clone,
# 9 min 13 s against 10 min 15 s with whole modules per worker, on 2 cores).
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist load

test: $(VENV)/.dev chromium nginx lint testdata
	JSNA_SOURCE=$(MIRROR) $(VENV)/bin/pytest $(XDIST)

unit: $(VENV)/.dev testdata
	JSNA_SOURCE=$(MIRROR) $(VENV)/bin/pytest $(XDIST) -m "not e2e"

# The fast loop: the synthetic county's unit, db and app tests (tests/small) and the contract
# suite on its build (tests/contract); needs no data folder. Trafford's contract run is in `unit`.
fast: $(VENV)/.dev
	$(VENV)/bin/pytest tests/small tests/contract -k "not trafford" -q

e2e: $(VENV)/.dev chromium testdata
	JSNA_SOURCE=$(MIRROR) $(VENV)/bin/pytest -m e2e

# Pages at Trafford and England size, then 20 browser sessions on one process and through
# nginx to 3 replicas. Figures go to the terminal and artifacts/.
bench: $(DB) $(VENV)/.dev chromium nginx
	JSNA_DB=$(DB) JSNA_SOURCE=$(MIRROR) $(PY) bench/run.py $(BENCH_ARGS)
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --profile 20 --check-browser \
		| tee artifacts/wsload.txt
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --think 10 \
		| tee artifacts/wsload_think.txt
	$(PY) -m bench.wsload --db $(DB) --sessions 1,20,50,100 --replicas 3 \
		| tee artifacts/wsload_replicas.txt
	$(PY) -m bench.sessions --db $(DB) --sessions 20 | tee artifacts/sessions.txt
	$(PY) deploy/bench_replicas.py --db $(DB) --source $(MIRROR) --replicas 3 --sessions 20 \
		| tee artifacts/replicas.txt

clean:
	rm -rf $(VENV) $(DB) artifacts
