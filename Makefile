# Two commands do everything on a fresh machine:
#   make book   builds the HTML book (and opens it when a browser is available)
#   make test   lint, unit/gradient/property tests, the book build, nbval, browser tests
# Both create .venv and install what they need from requirements*.txt / pyproject.toml.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PYTHONHASHSEED := 0
NBVAL := $(wildcard chapters/[0-9]*.ipynb)
ifneq ($(NBVAL),)
NBVAL := --nbval $(NBVAL) --nbval-sanitize-with tests/nbval_sanitize.cfg
endif

.PHONY: book test lab serve bench clean lint unit notebooks book-strict system-deps

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## book: build the HTML book into _build/html with warnings as errors, then open it
book: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"
	@if [ -z "$$CI" ] && { [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; }; then \
		$(PY) -m webbrowser -t "file://$(CURDIR)/_build/html/index.html" >/dev/null 2>&1 || true; fi

book-strict: $(STAMP)
	$(VENV)/bin/jupyter-book build . -W -n --keep-going

## serve: serve the built book on http://127.0.0.1:8000
serve: book
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

## notebooks: re-execute every chapter in place, top to bottom in a fresh kernel
## (no timing metadata and no widget state, so a re-run changes nothing when the outputs
## are the same, and the static book loads no widget JavaScript)
notebooks: $(STAMP)
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.store_widget_state=False \
		chapters/[0-9]*.ipynb

## lab: open the chapters in JupyterLab
lab: $(STAMP)
	$(VENV)/bin/jupyter lab chapters/

## system-deps: Debian's Chromium for the browser tests (installed only when missing)
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: run 'sudo apt-get install chromium'"; exit 1; fi; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

unit: $(STAMP)
	$(PY) -m pytest tests -m "not browser" -q

## test: everything CI runs: lint, the book build (warnings are errors), then one pytest
## run over the unit, gradient and property tests, nbval on every chapter (strict: stored
## outputs compared) and the browser tests against the built book and a live Jupyter server
test: $(STAMP) system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	$(PY) -m pytest tests $(NBVAL) -q

## bench: speed and memory figures into benchmarks/RESULTS.md
bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build .pytest_cache .hypothesis
