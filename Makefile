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
CHROMIUM  := /usr/bin/chromium

SITE_URL  ?= http://$(HOST):$(SITE_PORT)

.PHONY: run test browser lint typecheck unit package deploy publish-site posters demo chaos load soak burst bench bench-report capacity clean

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

## test: lint, type-check and every test (moto in-process; the packaging test runs chalice package;
## the browser test drives Debian's chromium, which `browser` installs). mypy runs beside pytest
## (the tests leave a third of the two cores idle while they wait on executions and the browser);
## its report is printed after theirs, and either failing fails `make test`.
test: $(STAMP) lint browser
	@mkdir -p out; echo "$(BIN)/mypy (beside the tests; its report follows theirs)"; \
	$(BIN)/mypy > out/mypy.log 2>&1 & typing=$$!; \
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25; tests=$$?; \
	wait $$typing; typed=$$?; echo "$(BIN)/mypy"; cat out/mypy.log; \
	if [ $$tests -ne 0 ] || [ $$typed -ne 0 ]; then exit 1; fi

## browser: Debian's chromium and fonts for the browser test, once (apt-get; sudo only when not root)
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "make browser: $(CHROMIUM) is missing and installing it needs root: run 'apt-get install -y chromium fonts-liberation' as root, or install sudo" >&2; exit 1; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make browser: $(CHROMIUM) is missing and there is no apt-get: install Debian's chromium so that $(CHROMIUM) exists" >&2; exit 1; fi; \
	echo "make browser: installing chromium and fonts-liberation for the browser test ($${sudo:+sudo }apt-get)"; \
	$$sudo apt-get update -q \
		&& $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-liberation \
		|| { echo "make browser: apt-get could not install chromium: install it (apt-get install chromium fonts-liberation) and run make test again" >&2; exit 1; }; \
	if [ ! -x $(CHROMIUM) ]; then echo "make browser: chromium was installed but $(CHROMIUM) is still missing" >&2; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

## package: the deployable SAM template for $(REGION) in out/package, checked by cfn-lint as SAM and
## as its CloudFormation translation (one template for every stage: the stage is a parameter)
package: $(STAMP)
	$(BIN)/python -m infra.build out/infra/merge.json
	rm -rf out/package
	AWS_DEFAULT_REGION=$(REGION) $(BIN)/chalice package --stage $(STAGE) --merge-template out/infra/merge.json out/package
	$(BIN)/python -m infra.build --finish out/package/sam.json
	$(BIN)/python -m infra.translate --region $(REGION) out/package/sam.json out/package/translated.json
	$(BIN)/cfn-lint --regions $(REGION) -- out/package/sam.json out/package/translated.json
	@echo "deployable template: out/package/sam.json (code: out/package/deployment.zip)"

## deploy: package, upload to the deployment bucket, deploy stack loket-$(STAGE), publish the site,
## print the addresses and DKIM records. MAIL_DOMAIN, MAIL_SENDER (and optionally ALARM_EMAIL,
## PUBLIC_SITE_URL + SITE_CERTIFICATE_ARN) from the environment; DRY_RUN=1 prints every step only.
deploy: $(STAMP)
	$(BIN)/python -m infra.deploy deploy --stage $(STAGE) --region $(REGION) $(if $(DRY_RUN),--dry-run,)

## publish-site: static_site/ with the stage's config.js to its bucket, then a CloudFront invalidation
publish-site: $(STAMP)
	$(BIN)/python -m infra.deploy publish-site --stage $(STAGE) --region $(REGION) $(if $(DRY_RUN),--dry-run,)

## demo: one case of every service of both offices through every role, over HTTP (uses or starts make run),
## then a month of history for the board and the evaluation (infra/local/history.py)
demo: $(STAMP)
	@MOTO_PORT=$(MOTO_PORT) API_PORT=$(API_PORT) SITE_PORT=$(SITE_PORT) LOKET_HOST=$(HOST) \
		$(BIN)/python -m infra.local.demo

## chaos: CHAOS_CASES (300) AK-1 cases end to end in-process while CHAOS_FAULT_RATE (0.2) of
## Loket's AWS calls fail; prints submitted, completed, stuck, lost and duplicates (not in `make test`)
chaos: $(STAMP)
	$(BIN)/python -m infra.local.chaos

## load: LOAD_CASES (40) AK-1 cases filed by LOAD_USERS (10) job seekers and decided by the officers,
## locust headless against make run's stack on free ports (or LOAD_API_URL + LOAD_MOTO_URL), at most
## LOAD_SECONDS (300); latency per request type against /health, the drain time, one card and one
## card email per case; writes docs/load.md (not in `make test`)
load: $(STAMP)
	$(BIN)/python -m infra.load

## soak: make load at a steady rate for about an hour (SOAK_CASES 240, one every SOAK_PACE_SECONDS 15,
## by 2 job seekers), then SOAK_IDLE_SECONDS (300) with no traffic, the stack's memory and CPU
## sampled throughout; writes docs/soak.md (not in `make test`)
soak: $(STAMP)
	@LOAD_RUN=soak LOAD_USERS=2 LOAD_CASES=$${SOAK_CASES:-240} LOAD_PACE_SECONDS=$${SOAK_PACE_SECONDS:-15} \
		LOAD_SECONDS=$${SOAK_SECONDS:-4500} LOAD_IDLE_SECONDS=$${SOAK_IDLE_SECONDS:-300} \
		LOAD_REPORT=docs/soak.md $(BIN)/python -m infra.load

## burst: a job fair's burst, make load with BURST_CASES (5000) AK-1 cases filed by BURST_USERS (40)
## job seekers at once and decided by BURST_OFFICERS (4) per role, at most BURST_SECONDS (14400);
## every case final with one card and one card email; writes docs/burst.md (not in `make test`)
burst: $(STAMP)
	@LOAD_RUN=burst LOAD_CASES=$${BURST_CASES:-5000} LOAD_USERS=$${BURST_USERS:-40} \
		LOAD_OFFICERS=$${BURST_OFFICERS:-4} LOAD_SECONDS=$${BURST_SECONDS:-14400} LOAD_SPAWN_RATE=10 \
		LOAD_REPORT=$${BURST_REPORT:-docs/burst.md} $(BIN)/python -m infra.load

## bench-report: the office's monthly evaluation for BENCH_CASES (10,000) cases from the aggregates
## alone, timed (must stay under BENCH_LIMIT_SECONDS, 2) with its DynamoDB calls counted (not in `make test`)
bench-report: $(STAMP)
	$(BIN)/python -m infra.local.bench_report

## posters: one printable QR poster per office and service (out/posters/), pointing at SITE_URL
posters: $(STAMP)
	$(BIN)/python -m chalicelib.cli posters --site $(SITE_URL) --out-dir out/posters

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache

.PHONY: bench capacity
## bench: measure import time, rendering, AWS calls per request and transitions per case on this
## machine and write docs/performance.md (BENCH_RENDERS renders per document, 1000; not in `make test`)
bench: $(STAMP)
	$(BIN)/python -m infra.bench.report

## capacity: the job-fair peak against the Jakarta quotas, and the cost per 1,000 cases of every service,
## from out/bench/'s counts (measured first by tests/bench/probe_counts.py when missing, about a minute)
capacity: $(STAMP)
	$(BIN)/python -m infra.capacity
