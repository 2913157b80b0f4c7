# The commands the README names. Each one creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The skin tests (those that build an ipywidgets widget: pytest marks them `skin`, see tests/conftest.py) run
# again under ipywidgets 7.7.1, the version Colab ships: it and ipython_genutils, installed in a folder of
# their own, come ahead of .venv's packages on the path, so everything else is the same as in the main run.
IPYW7 := .venv-ipywidgets7/packages
SKIN_TESTS := tests/test_widgets.py tests/test_widget_*.py tests/test_hostile.py mathnn/widgets
# pytest-xdist: two workers, each test file (each chapter) whole in one of them, in its order.
WORKERS ?= 2
# ipykernel 7 warns that ipywidgets 7 uses its old Comm class; that warning is ipywidgets 7's own.
OLD_COMM := "ignore:The \`ipykernel.comm.Comm\` class has been deprecated:DeprecationWarning"

.PHONY: book lab test bench lint clean

# With npm at hand the book's math is typeset when it is built (mathjax-full, see book/_ext/prerender_math.py);
# without it the pages typeset their math in the reader's browser.
NPM := $(shell command -v npm 2>/dev/null)

book: $(VENV)/.reader $(if $(NPM),node_modules/.ready)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is in _build/html. Open _build/html/index.html in a browser,"
	@echo "or serve it with: $(BIN)/python -m http.server -d _build/html 8000"

lab: $(VENV)/.reader
	$(BIN)/jupyter lab book/

test: $(VENV)/.dev $(IPYW7)/.ready node_modules/.ready
	$(BIN)/ruff check mathnn tests benchmarks
	$(BIN)/pytest -n $(WORKERS) --dist loadfile
	PYTHONPATH=$(IPYW7) MATHNN_IPYWIDGETS=7.7.1 $(BIN)/python -m pytest -o addopts="--doctest-modules --strict-markers" \
		-m skin -n $(WORKERS) -p no:cacheprovider -q -W $(OLD_COMM) $(SKIN_TESTS)

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks

lint: $(VENV)/.dev
	$(BIN)/ruff check mathnn tests benchmarks

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# pip byte-compiles every file it installs, one at a time; compiling afterwards on every core is faster.
# PyTorch (tests only) is left to compile what it imports, when it imports it.
COMPILE := $(BIN)/python -m compileall -q -j 0 -x '/torch/|/torchgen/' $(VENV)/lib > /dev/null

$(VENV)/.reader: $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/pip install --disable-pip-version-check --no-compile -r requirements.txt
	$(COMPILE)
	touch $@

# requirements-dev.txt includes requirements.txt: one resolver run installs both on a fresh machine.
$(VENV)/.dev: $(VENV)/bin/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --disable-pip-version-check --no-compile -r requirements-dev.txt
	$(COMPILE)
	touch $(VENV)/.reader $@

$(IPYW7)/.ready: $(VENV)/bin/python requirements-ipywidgets7.txt
	rm -rf $(IPYW7)
	$(BIN)/pip install --disable-pip-version-check --no-deps --target $(IPYW7) -r requirements-ipywidgets7.txt
	touch $@

# mathjax-full, which typesets the book's math when it is built, and axe-core, the accessibility audit the
# browser tests inject into each page (package.json pins both).
node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf _build .pytest_cache .hypothesis
