# Set-up, run and test entry points. See tests/services/README.md for the test services.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
RUN_ADDR ?= 127.0.0.1:8000

# Passed through to pytest by tests/services/run-tests.sh, e.g. make test PYTEST_ARGS='-k cart -x'
PYTEST_ARGS ?=
export PYTEST_ARGS

.PHONY: help venv dev-venv run test lint clean vendor

help:
	@echo "make venv      create .venv and install requirements.txt"
	@echo "make dev-venv  also install requirements-dev.txt (pytest etc.)"
	@echo "make run       migrate, load demo data, serve on http://$(RUN_ADDR)/ with the task worker (RUN_ADDR=192.168.1.20:8000 for a phone on the LAN)"
	@echo "make test      lint, then the whole test suite: SQLite pass, then PostgreSQL pass (PYTEST_ARGS=...)"
	@echo "make lint      ruff (lint and format check) and lint-imports (the packages' directions)"
	@echo "make clean     remove __pycache__ / *.pyc"
	@echo "make vendor    npm ci in themes/ocop and copy Leaflet into its static/ (committed; run and CI need no npm)"

$(PY):
	python3 -m venv $(VENV)

# Stamps: pip runs again only when a requirements file is newer than its stamp.
$(VENV)/.installed-req: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed-req

dev-venv: $(VENV)/.installed-req $(VENV)/.installed-dev

# The site's address follows RUN_ADDR (Django's and Wagtail's Site, ALLOWED_HOSTS): with the
# machine's LAN address, a phone on the same network opens the links and QR codes.
run: export OCOP_BASE_URL = http://$(RUN_ADDR)
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data   # prints the demo logins
	$(PY) manage.py set_site_host
	@echo
	@echo "================================================================"
	@echo "  Site                   http://$(RUN_ADDR)/"
	@echo "  Wagtail admin          http://$(RUN_ADDR)/admin/   (officials and producers)"
	@echo "  OCOP dossiers          http://$(RUN_ADDR)/admin/ho-so/   (evaluation: producer, commune, office, council, approver)"
	@echo "  Shop                   http://$(RUN_ADDR)/shop/"
	@echo "  Oscar dashboard        http://$(RUN_ADDR)/shop/dashboard/"
	@echo "  Django admin           http://$(RUN_ADDR)/django-admin/"
	@echo "  Background worker      manage.py qcluster (e-mails, search, daily jobs; stops with the server)"
	@echo "================================================================"
	@echo
	@# The task worker runs beside the server; Ctrl-C (or the server's exit) stops both.
	$(PY) manage.py qcluster & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(RUN_ADDR)

# The packages' directions and the code's style: the same checks as CI, before any test.
lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	PY=$(PY) bash tests/services/run-tests.sh

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.py[co]' -type f -exec rm -f {} +

# Front-end packages: pinned in themes/ocop/package-lock.json, copied into the committed static tree.
THEME := themes/ocop
LEAFLET_DEST := $(THEME)/static/ocop/vendor/leaflet

vendor:
	cd $(THEME) && npm ci --no-audit --no-fund
	rm -rf $(LEAFLET_DEST)
	mkdir -p $(LEAFLET_DEST)/images
	# leaflet.js names its source map (sourceMappingURL): collectstatic's manifest storage
	# needs the file it names, so the map is copied too.
	cp $(THEME)/node_modules/leaflet/dist/leaflet.js $(THEME)/node_modules/leaflet/dist/leaflet.js.map \
		$(THEME)/node_modules/leaflet/dist/leaflet.css $(LEAFLET_DEST)/
	cp $(THEME)/node_modules/leaflet/dist/images/*.png $(LEAFLET_DEST)/images/
	cp $(THEME)/node_modules/leaflet/LICENSE $(LEAFLET_DEST)/LICENSE
