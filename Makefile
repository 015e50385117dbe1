# Two commands for a newcomer: `make run` (app + API on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run test install install-test lint bench audit lock

# pip 23.2 (the machine's) refuses a locked package asked with extras (pip-audit's CacheControl[filecache])
# in --require-hashes mode; pip 24+ handles it. Pinned so that every machine installs the same way.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3

# Installs exactly what requirements.lock pins (hashes checked), then the project itself, then the Paris
# rules as their own package (extensions/paris/pyproject.toml), editable: a local path stays out of the lock.
install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip install --quiet --no-deps -e ./extensions/paris

install-test: install
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund; fi

run: install
	$(BIN)/simulator serve --host 127.0.0.1 --port 8000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/vulture

test: install-test
	$(BIN)/ruff check .
	$(BIN)/pytest

# Published advisories against the lock; says plainly when the advisory database cannot be reached.
audit: install-test
	$(BIN)/python scripts/audit_dependencies.py requirements.lock

# After a change of pyproject.toml's dependencies: pin again (uv, from PyPI).
lock: install-test
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra parquet --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes -q -o requirements.lock

bench: install-test
	$(BIN)/python benchmarks/benchmark.py
