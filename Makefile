# Two entry points for newcomers: `make run` (index the shipped corpus and serve it) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test index bench stress clean

$(BIN)/eig-search: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/eig-search

install-test: install
	$(BIN)/pip install --quiet -e '.[test]'

index: install
	$(BIN)/eig-search index --site corpus

run: install
	$(BIN)/eig-search serve --build-if-missing --site corpus --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache
