# The commands the README names. Each one creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The widget tests again under ipywidgets 7.7.1, the version Colab ships, in a second small venv.
VENV7 := .venv-ipywidgets7
WIDGET_TESTS := tests/test_widgets.py tests/test_widget_*.py
# ipykernel 7 warns that ipywidgets 7 uses its old Comm class; that warning is ipywidgets 7's own.
OLD_COMM := "ignore:The \`ipykernel.comm.Comm\` class has been deprecated:DeprecationWarning"

.PHONY: book lab test bench lint clean

book: $(VENV)/.reader
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is in _build/html. Open _build/html/index.html in a browser,"
	@echo "or serve it with: $(BIN)/python -m http.server -d _build/html 8000"

lab: $(VENV)/.reader
	$(BIN)/jupyter lab book/

test: $(VENV)/.dev $(VENV7)/.ready node_modules/.ready
	$(BIN)/ruff check mathnn tests benchmarks
	$(BIN)/pytest
	$(VENV7)/bin/python -m pytest -o addopts="" -p no:cacheprovider -q -W $(OLD_COMM) $(WIDGET_TESTS)

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

$(VENV7)/.ready: requirements-ipywidgets7.txt pyproject.toml
	$(PYTHON) -m venv $(VENV7)
	$(VENV7)/bin/pip install --upgrade pip
	$(VENV7)/bin/pip install -r requirements-ipywidgets7.txt
	$(VENV7)/bin/pip install --no-deps ipywidgets==7.7.1
	$(VENV7)/bin/pip install --no-deps -e .
	touch $@

# axe-core, the accessibility audit the browser tests inject into each page (package.json pins it).
node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf _build .pytest_cache .hypothesis
