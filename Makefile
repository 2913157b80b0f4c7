# The commands the README names. Each one creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book lab test bench lint clean

book: $(VENV)/.reader
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is in _build/html. Open _build/html/index.html in a browser,"
	@echo "or serve it with: $(BIN)/python -m http.server -d _build/html 8000"

lab: $(VENV)/.reader
	$(BIN)/jupyter lab book/

test: $(VENV)/.dev
	$(BIN)/ruff check mathnn tests benchmarks
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks

lint: $(VENV)/.dev
	$(BIN)/ruff check mathnn tests benchmarks

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.reader: $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/pip install -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.reader requirements-dev.txt
	$(BIN)/pip install -r requirements-dev.txt
	touch $@

clean:
	rm -rf _build .pytest_cache .hypothesis
