# Two commands on a fresh machine: `make run` (demo app) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run dev test install install-dev system-run system-test bytecode lint bench load docs clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Debian packages: none for the app itself; Chromium, poppler, fonts, PostgreSQL and npm for the tests.
# As root they are installed when missing; otherwise the exact apt-get command is printed.
system-run:
	tools/system-packages run

system-test:
	tools/system-packages test

install-dev: $(VENV)/.installed-dev

run: install system-run
	$(BIN)/python serve.py --server.port $(PORT)

# For working on the code: reload on save (the served app watches no files: see .streamlit/config.toml).
dev: install
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true

# axe-core for the accessibility tests, pinned by its lock file (npm comes with system-test).
AXE_CORE := tests/browser/axe/node_modules/axe-core/axe.min.js

$(AXE_CORE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The project's bytecode, written once. Where PYTHONDONTWRITEBYTECODE is set (this machine sets it), Python never
# writes it, so every process the tests start (a server per browser module, CLI runs, file-reading workers)
# would compile the project from source again: about 45 s of a clean clone's `make test`.
bytecode: install
	$(BIN)/python -m compileall -q -j 0 -x '/(\.venv|\.git|tests|node_modules|test-artifacts)/' .

test: install-dev system-test $(AXE_CORE) bytecode
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 4 --dist loadscope --no-loadscope-reorder

lint: install-dev
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m benchmarks.run

# 20 concurrent sessions on a shared link (server over websockets, then Chromium); see benchmarks/load_test.py.
load: install-dev
	$(BIN)/python -m benchmarks.load_test --calibrate

docs: install
	$(BIN)/python -m metrics.methodology --write docs/METHODOLOGY.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts tests/browser/axe/node_modules
