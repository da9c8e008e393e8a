# `make run` (the service with demo data), `make test` (the whole suite) and `make prove`
# (the fault tests against the production shape, the slow ones too: docs/reliability.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
INSTALLED := $(VENV)/.installed
ASSETS := static/build/uor.css

.PHONY: run test prove lint assets clean

run: $(INSTALLED) $(ASSETS)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_metrics
	$(PY) manage.py load_frameworks
	$(PY) manage.py load_wellled_framework
	$(PY) manage.py load_demo_wellled
	$(PY) manage.py load_demo_assessments
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(INSTALLED) $(ASSETS)
	bash scripts/test.sh

# Every fault test against the production shape, the slow ones too (docs/reliability.md).
prove: $(INSTALLED) $(ASSETS)
	bash scripts/test.sh tests/reliability -m "faults or prove"

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

assets: $(ASSETS)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend from its npm package at the pinned version, built with our asset paths.
$(ASSETS): node_modules/.package-lock.json static/scss/uor.scss
	mkdir -p static/build static/vendor/govuk
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	npx --no-install sass --no-source-map --load-path=node_modules --style=compressed \
		--quiet-deps --silence-deprecation=import static/scss/uor.scss $@

clean:
	rm -rf $(VENV) node_modules static/build static/vendor staticfiles db.sqlite3
