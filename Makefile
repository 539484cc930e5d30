# Two commands do everything on a fresh machine:
#   make book   builds the HTML book (and opens it when a browser is available)
#   make test   lint, fast tests, the book build, then nbval, the student edition and
#               the browser tests
# Both create .venv and install what they need from requirements*.txt / pyproject.toml.
#
# Each chapter is a pair (see CONTRIBUTING.md): chapters/NN_name.md, the MyST Markdown
# text people edit, and chapters/NN_name.ipynb, the same cells executed, which the book
# renders, nbval compares and Binder/Colab open. `make notebooks` makes the second from
# the first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export PYTHONHASHSEED := 0

# The chapters' text sources and their executed notebooks. `make notebooks
# CHAPTERS=chapters/03_activations.md` regenerates one chapter only.
CHAPTERS  ?= $(wildcard chapters/[0-9][0-9]_*.md)
NOTEBOOKS := $(wildcard chapters/[0-9][0-9]_*.ipynb)
STUDENT_DIR ?= _build/student
HTML_STAMP  := _build/html/.built-from-sources

# Execute in a fresh kernel, top to bottom; no timings and no widget state, so re-running
# a chapter whose code did not change rewrites the same bytes, and the static book loads
# no widget JavaScript from a CDN.
EXECUTE := $(VENV)/bin/jupyter nbconvert --to notebook --execute \
	--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 \
	--ExecutePreprocessor.store_widget_state=False --log-level=WARN \
	--Exporter.preprocessors='["nbconvert.preprocessors.CoalesceStreamsPreprocessor"]'

.PHONY: book test lab serve bench clean lint fast-tests book-build slow-tests notebooks student \
	system-deps lock test-latest test-oldest

# What .venv is installed from: requirements-lock.txt pins every package with == (made by
# `make lock` from the ranges in requirements*.txt), so a new release upstream cannot
# change a fresh clone unseen. `make test-latest` and `make test-oldest` try the ranges'
# newest and oldest ends in venvs of their own.
REQUIREMENTS ?= requirements-lock.txt
PIP_OPTIONS  ?=
# The installer: uv (a pip-compatible installer from PyPI, pinned in the lock file and put
# into the venv first) installs the ~170 pinned packages in about 15 s where pip takes about
# 60 s. `make INSTALLER=pip ...` uses pip alone; both read the same requirement files.
INSTALLER ?= uv
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements-lock.txt)

$(STAMP): requirements.txt requirements-dev.txt requirements-lock.txt pyproject.toml \
		package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@bash .ci/system-deps node
	@# Node packages of the build (MathJax typesets the math at build time), exactly as
	@# package-lock.json pins them, into node_modules/
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
ifeq ($(INSTALLER),uv)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) $(PIP_OPTIONS) -r $(REQUIREMENTS)
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
else
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(PIP_OPTIONS) -r $(REQUIREMENTS)
	$(PY) -m pip install --quiet --no-deps -e .
endif
	touch $(STAMP)

## lock: re-pin requirements-lock.txt: a fresh venv takes the newest versions the ranges
## of requirements*.txt allow, and pip freeze writes every installed package down with ==
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -r requirements-dev.txt
	{ echo "# Every package of the development venv, pinned: \`make lock\` regenerates this file"; \
	  echo "# from the ranges in requirements.txt and requirements-dev.txt (Python $$(.venv-lock/bin/python -c 'import platform; print(platform.python_version())'), Linux)."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -v '^nnlib'; \
	} > requirements-lock.txt
	rm -rf .venv-lock

## test-latest: the whole suite against the newest versions the ranges allow (own venv)
test-latest:
	rm -rf .venv-latest
	$(MAKE) test VENV=.venv-latest REQUIREMENTS=requirements-dev.txt

## test-oldest: the fast tests, then every chapter executed (outputs not compared: older
## libraries print some numbers differently), against the lower bounds of requirements.txt
test-oldest:
	rm -rf _build/oldest && mkdir -p _build/oldest
	sed -n 's/^\([A-Za-z0-9_.-]*\)>=\([0-9.]*\).*/\1==\2/p' requirements.txt > _build/oldest/constraints.txt
	@echo "lower bounds:" $$(cat _build/oldest/constraints.txt)
	$(MAKE) .venv-oldest/.installed VENV=.venv-oldest \
		REQUIREMENTS=requirements-dev.txt PIP_OPTIONS="-c _build/oldest/constraints.txt"
	.venv-oldest/bin/python -m pip list 2>/dev/null | grep -iE '^(numpy|matplotlib|scikit-learn|ipywidgets|ipykernel|jupyterlab) '
	.venv-oldest/bin/python -m pytest tests -m "not slow" -q -x -p no:cacheprovider
	cp chapters/[0-9][0-9]_*.ipynb _build/oldest/
	$(subst $(VENV)/,.venv-oldest/,$(EXECUTE)) --inplace _build/oldest/*.ipynb
	@echo "test-oldest: the fast tests pass and all chapters execute with the lower bounds"

## book: build the HTML book into _build/html with warnings as errors, then open it
book: $(HTML_STAMP)
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"
	@if [ -z "$$CI" ] && { [ -n "$$DISPLAY" ] || [ "$$(uname)" = Darwin ]; }; then \
		$(PY) -m webbrowser -t "file://$(CURDIR)/_build/html/index.html" >/dev/null 2>&1 || true; fi

# The book renders the notebooks' stored outputs (nbval proves they are what the code
# produces). It is rebuilt from scratch whenever anything it is made of changed since the
# last build, so the browser tests never look at a stale book.
BOOK_INPUTS := _config.yml _toc.yml $(shell find chapters nnlib _ext _static -type f \
	-not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)
$(HTML_STAMP): $(STAMP) $(BOOK_INPUTS)
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	touch $(HTML_STAMP)

## serve: serve the built book on http://127.0.0.1:8000
serve: book
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

## notebooks: regenerate each chapter's .ipynb from its .md text source (cells, tags and
## metadata from the text; stored outputs kept where a cell is unchanged), then execute it
## in place, top to bottom in a fresh kernel
notebooks: $(STAMP)
	$(VENV)/bin/jupytext --quiet --update --to ipynb $(CHAPTERS)
	$(EXECUTE) --inplace $(CHAPTERS:.md=.ipynb)

## student: the student edition in $(STUDENT_DIR): every chapter without its solution
## cells (tag `solution`), executed top to bottom (each check answers "Not yet")
student: $(STAMP)
	rm -rf $(STUDENT_DIR)
	$(VENV)/bin/jupyter nbconvert --to notebook --log-level=WARN --output-dir $(STUDENT_DIR) \
		--TagRemovePreprocessor.enabled=True \
		--TagRemovePreprocessor.remove_cell_tags='["solution"]' \
		--ClearOutputPreprocessor.enabled=True $(NOTEBOOKS)
	$(EXECUTE) --inplace $(STUDENT_DIR)/*.ipynb
	@echo "The student edition is in $(STUDENT_DIR)/: $$(ls $(STUDENT_DIR) | wc -l) notebooks"

## lab: open the chapters in JupyterLab (jupytext keeps each .md and .ipynb in step)
lab: $(STAMP)
	$(VENV)/bin/jupyter lab chapters/

## system-deps: Node.js and npm for the book build, Debian's headless Chromium for the
## browser tests, installed when missing (as root; otherwise it says what to run)
system-deps:
	@bash .ci/system-deps

# The four stages of `make test`, each a target of its own: `make lint`, `make fast-tests`,
# `make book-build`, `make slow-tests`.

## lint: stage 1, ruff
lint: $(STAMP)
	$(VENV)/bin/ruff check .

## fast-tests: stage 2, the unit, gradient, property and exercise tests, and the checks of
## the stored notebooks and their text sources (seconds; no book, kernel or browser)
fast-tests: $(STAMP)
	$(PY) -m pytest tests -m "not slow" -q -x -n 2

## book-build: stage 3, the book build (warnings are errors), only when a file it is made
## of changed since the last build; `make book` builds it and opens it
book-build: $(HTML_STAMP)

## slow-tests: stage 4, nbval on every chapter (strict: stored outputs compared), twice,
## with other last bits each time (tests/test_reproducibility.py), `make student` on one
## chapter and the browser tests against the built book (built first if stale)
slow-tests: $(STAMP) system-deps $(HTML_STAMP)
	$(PY) -m pytest tests -m slow -q -n 2 --dist loadfile

## test: everything CI runs, the four stages above in order, cheapest and most telling
## first, stopping at the first failing stage (a library bug is named by its unit test in
## stage 2, before any notebook runs). One sub-make per stage, one after the other: the
## order holds under `make -j` too.
test: system-deps $(STAMP)
	@echo "== 1/4 lint (ruff)"
	@$(MAKE) --no-print-directory lint
	@echo "== 2/4 unit, gradient, property, exercise and notebook-source tests"
	@$(MAKE) --no-print-directory fast-tests
	@echo "== 3/4 the book build"
	@$(MAKE) --no-print-directory book-build
	@echo "== 4/4 nbval, the student edition and the browser tests"
	@$(MAKE) --no-print-directory slow-tests

## bench: speed, memory and page-weight figures into benchmarks/RESULTS.md (the pages
## with Lighthouse, from benchmarks/lighthouse/package-lock.json). PyTorch (the yardstick of
## the conv and pool ratios) is installed first with pip, CPU build 2.13.0: pip takes it
## from a local wheel where the machine has one (as here); elsewhere from PyPI, where
## Linux wheels bundle CUDA (GBs). BENCH_TORCH=0 skips it and the torch ratios.
BENCH_TORCH ?= 1
TORCH_VERSION := 2.13.0
bench: $(STAMP) $(HTML_STAMP)
	npm ci --prefix benchmarks/lighthouse --no-audit --no-fund --ignore-scripts --loglevel=error
	@if [ "$(BENCH_TORCH)" = 1 ] && ! $(PY) -c "import torch" 2>/dev/null; then \
		$(PY) -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION); fi
	$(PY) benchmarks/run_all.py

clean:
	rm -rf _build .pytest_cache .hypothesis .venv-latest .venv-oldest .venv-lock
