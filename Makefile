# Two commands for a newcomer: `make run` (app + API on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test install install-test lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund; fi

run: install
	$(BIN)/simulator serve --host 127.0.0.1 --port 8000

lint: install-test
	$(BIN)/ruff check .

test: install-test
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: install-test
	$(BIN)/python benchmarks/benchmark.py
