# Loket: the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REGION ?= ap-southeast-3
STAGE  ?= prod

MOTO_PORT ?= 5000
API_PORT  ?= 8000
SITE_PORT ?= 8080
HOST      ?= 127.0.0.1

SITE_URL  ?= http://$(HOST):$(SITE_PORT)

.PHONY: run test lint typecheck unit package posters clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Loket needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

## run: the whole of Loket locally (moto for AWS), until Ctrl-C
run: $(STAMP)
	@MOTO_PORT=$(MOTO_PORT) API_PORT=$(API_PORT) SITE_PORT=$(SITE_PORT) LOKET_HOST=$(HOST) \
		$(BIN)/python -m infra.local.run

## test: lint, type-check and every test (moto in-process; the packaging test runs chalice package)
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

## package: the deployable SAM template for $(REGION) in out/package, checked by cfn-lint
package: $(STAMP)
	$(BIN)/python -m infra.build out/infra/merge.json
	rm -rf out/package
	AWS_DEFAULT_REGION=$(REGION) $(BIN)/chalice package --stage $(STAGE) --merge-template out/infra/merge.json out/package
	$(BIN)/cfn-lint --regions $(REGION) -- out/package/sam.json
	@echo "deployable template: out/package/sam.json (code: out/package/deployment.zip)"

## posters: one printable QR poster per office and service (out/posters/), pointing at SITE_URL
posters: $(STAMP)
	$(BIN)/python -m chalicelib.cli posters --site $(SITE_URL) --out-dir out/posters

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
