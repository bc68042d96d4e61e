# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make report   create .venv, install casekit, render the case reports into reports/
#   make test     the same plus the test dependencies, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JOBS ?=

.PHONY: report test bench lab student clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

report: $(VENV)/.installed
	$(BIN)/casekit build --out reports $(if $(JOBS),--jobs $(JOBS))

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

lab: $(VENV)/.installed
	$(BIN)/casekit lab

student: $(VENV)/.installed
	$(BIN)/casekit student --out dist/student

clean:
	rm -rf reports dist build .pytest_cache
