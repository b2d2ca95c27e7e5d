# The two set-up commands of README.md: `make run` and `make test`. Both create .venv and install
# everything they need, so they work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test install load serve bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

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
