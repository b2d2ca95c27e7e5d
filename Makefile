# The two set-up commands of README.md: `make run` and `make test`. Both create .venv and install
# everything they need, so they work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

# Debian packages for the real-server tests (Virtuoso 7), the benchmarks (wrk) and the browser tests (Chromium and
# its WebDriver).
APT_PACKAGES := virtuoso-opensource wrk chromium chromium-driver

.PHONY: run test install system-packages load serve bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) system-packages web/node_modules/.package-lock.json

## The workbench's editor (CodeMirror 5, web/package-lock.json) from npm, when npm exists; without it the
## workbench falls back to a plain text area.
web/node_modules/.package-lock.json: web/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix web --silent --no-audit --no-fund || echo "note: npm ci failed; the workbench editor falls back to a text area"; \
	else \
	  echo "note: npm missing; the workbench editor falls back to a text area"; \
	fi

## Install $(APT_PACKAGES) when one of them is missing and we are root with apt-get; otherwise say so and go
## on: the tests that need Virtuoso or Chromium then skip with the reason. The package starts a system Virtuoso on all
## interfaces with the default dba password where services can start, so we stop and disable that one: the tests
## start their own on 127.0.0.1 (src/clingen_graph/devservers.py).
system-packages:
	@if command -v virtuoso-t >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 \
	     && command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "apt-get install $(APT_PACKAGES)"; \
	  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	       $(APT_PACKAGES) >/dev/null; then \
	    (systemctl disable --now virtuoso-opensource-7 || service virtuoso-opensource-7 stop) >/dev/null 2>&1 || true; \
	  else \
	    echo "note: apt-get install $(APT_PACKAGES) failed; tests needing Virtuoso or Chromium will be skipped"; \
	  fi; \
	else \
	  echo "note: virtuoso-t, wrk or chromium missing and not root with apt-get; tests needing them will be skipped"; \
	  echo "      (as root: apt-get install --no-install-recommends $(APT_PACKAGES))"; \
	fi

## Install, load the bundled real data into ./var/store, validate it, serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/clingen-graph load --bundled
	$(BIN)/clingen-graph validate
	$(BIN)/clingen-graph serve --port $(PORT)

## Install and run the whole test suite (lint, unit, integration on the bundled data, real servers)
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

load: install
	$(BIN)/clingen-graph load --bundled

serve: install
	$(BIN)/clingen-graph serve --port $(PORT)

bench: install
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) var
