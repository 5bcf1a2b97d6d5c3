# The two commands a user needs are `make lab` and `make test`; every target bootstraps what it
# needs (virtualenv, pinned packages, lab services) on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: help venv test lint ruff ansible-lint sanity core217 units emulator-tests integration faults molecule e2e docs docs-lint role-docs \
        lab lab-up lab-down lab-env bench build ee changelog lock clean census

help:
	@echo "make lab       bring up the lab and converge site.yml in it"
	@echo "make test      run every check (lint, sanity, unit, emulator, integration, molecule, e2e)"
	@echo "make lab-up | lab-down | lab-env | bench | build | docs | role-docs | changelog | lock | faults | ee"

venv:
	@bash scripts/venv.sh

test: venv
	@bash scripts/test.sh

lint: ruff ansible-lint

ruff: venv
	ruff check --output-format concise .
	ruff format --check .

ansible-lint: venv
	ansible-lint --offline --profile production

sanity: venv
	@bash scripts/sanity.sh

docs-lint: venv
	@bash scripts/docs.sh lint

docs: venv
	@bash scripts/docs.sh build

role-docs: venv
	python scripts/role_docs.py

units: venv
	pytest tests/unit tests/packaging

# Issue 16's census of roles/ and playbooks/: tasks, set_fact, {% statements, namespace() loops, long expressions, lines.
census: venv
	python scripts/census.py

# The lowest ansible-core the collection claims (meta/runtime.yml): sanity and the unit tests once more, in .venv-core217.
# Every sanity test but pylint: the code it lints is the same as on the development core, whose newer pylint runs in
# make sanity, and on the floor it costs 82 of the 130 CPU seconds of the sanity run (measured on 2 cores).
core217: venv
	@bash scripts/venv-core217.sh
	PATH=$(CURDIR)/.venv-core217/bin:$$PATH bash scripts/sanity.sh --skip-test pylint
	PATH=$(CURDIR)/.venv-core217/bin:$$PATH pytest tests/unit

emulator-tests: venv
	pytest -n 2 tests/emulator

# --dist loadfile: every test of a file on one worker, so that a file's module-scoped fixture (a converged lab state)
# runs once. (loadgroup with xdist_group marks no longer groups anything under pytest 9.2: xdist 3.8 renames the
# test through an attribute pytest 9.2 no longer reads, and the DR module converged twice in CI.)
integration: venv
	pytest -n 2 --dist loadfile --durations=15 -m "not faults" tests/integration

# The fault runs of every layer (tests/integration/test_faults_layers.py, test_faults_killed.py): 332 CPU seconds (348 s
# beside a make lab on 2 cores). make test runs them in the static checks' lane (scripts/test.sh), apart from the
# integration tests' lane.
faults: venv
	pytest -n 2 --dist loadfile --durations=15 -m faults tests/integration

molecule: venv
	@bash scripts/molecule.sh

e2e: venv
	pytest --durations=15 tests/lab

lab: venv
	@bash lab/lab.sh converge

lab-up: venv
	@bash lab/lab.sh up

lab-down:
	@bash lab/lab.sh down

lab-env:
	@bash lab/lab.sh env

bench: venv
	@if [ -f lab/bench.sh ]; then bash lab/bench.sh; else echo "make bench: the benchmark is not built yet" >&2; exit 1; fi

build: venv
	ansible-galaxy collection build --force --output-path .build/dist

# The execution environment in the lab (lab/ee/README.md): builds hybridlab/ee:<version> offline with ansible-builder
# from the built tarball, then runs the network layer in it twice with ansible-runner as AWX runs a job, against a
# private emulator; prints the measurements. Not part of make test (5 to 10 minutes).
ee: venv build
	@bash lab/onprem/dockerd.sh start
	@image=$$(bash lab/ee/build.sh) && bash lab/ee/run.sh "$$image"

changelog: venv
	antsibull-changelog release

lock: venv
	$(BIN)/pip freeze --exclude-editable | grep -v '^#' > requirements-lock.txt

clean:
	rm -rf .build .cache .pytest_cache .ruff_cache tests/output
