# `make run` and `make test` do all the set-up on a fresh Debian or Ubuntu machine.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test system system-test venv pulse lint bench fixtures clean

run: system $(STAMP)
	$(VENV)/bin/rehearse

test: system-test $(STAMP) pulse
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest

system:
	@scripts/setup-system.sh

system-test:
	@scripts/setup-system.sh --test

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

pulse:
	@scripts/start-pulse.sh

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks

fixtures: system $(STAMP)
	$(PY) fixtures/make_fixtures.py

bench: system-test $(STAMP) pulse
	@status=0; for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(PY) $$script || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
