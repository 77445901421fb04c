# The LSTM course. `make run` executes the whole course; `make test` is what CI runs.
# Every target creates the virtual environment .venv first when it is missing.

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
export COURSE_PROFILE ?= full
# The course site, the handouts and the browser tests (make site / student / e2e).
SITE_VENV  ?= .venv-site
SITE_STAMP := $(SITE_VENV)/.installed
SITE_DIR   ?= _site
HANDOUTS   ?= _handouts
MATHJAX    := tools/site/node_modules/mathjax/es5/tex-mml-chtml.js
E2E_STAMP  := $(VENV)/.e2e-installed
CHROMIUM   ?= /usr/bin/chromium

.PHONY: help venv run test unit nbval lab data lint format sync results seeds-06 seeds-07 seeds-09 reproduce samples lock clean distclean \
        site student student-test e2e

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python >= 3.10 needed (3.11 tested)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . || $(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(STAMP)  ## create .venv with the pinned packages and the helpers package

run: $(STAMP)  ## execute every notebook in order, in place, one progress line each (COURSE_PROFILE=full by default)
	@$(PY) -m helpers status
	@$(PY) tools/run_course.py $(NOTEBOOKS)
	@if [ "$(COURSE_PROFILE)" = full ]; then $(PY) -m helpers results > /dev/null && echo "README results table updated."; fi

test: lint unit nbval  ## lint (ruff, format check, mypy), unit tests, then every notebook in the smoke profile (nbval)

unit: $(STAMP)  ## unit tests of helpers (no network)
	COURSE_PROFILE=smoke $(PY) -m pytest -q tests

nbval: $(STAMP)  ## execute every notebook top to bottom in a fresh kernel (smoke profile, lax mode)
	COURSE_PROFILE=smoke MPLBACKEND=Agg $(PY) -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env \
	  --durations=12 $(NOTEBOOKS)

lab: $(STAMP)  ## JupyterLab on the whole repository, opening 00_start_here (as root: adds --allow-root)
	@if [ "$$(id -u)" = 0 ]; then echo "Running as root (Docker, cloud VM): starting JupyterLab with --allow-root."; fi
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

$(SITE_STAMP): requirements-site.txt
	test -x $(SITE_VENV)/bin/python || $(PYTHON) -m venv $(SITE_VENV)
	$(SITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SITE_VENV)/bin/python -m pip install --quiet -r requirements-site.txt
	$(SITE_VENV)/bin/python -m pip install --quiet --no-deps koreanize-matplotlib==0.1.1
	touch $@

$(MATHJAX):
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix tools/site mathjax@3.2.2

site: $(SITE_STAMP) $(MATHJAX)  ## the course as a website in _site/ from the committed outputs (no execution; offline)
	$(SITE_VENV)/bin/python tools/site/build.py --out $(SITE_DIR)

student: $(STAMP)  ## student handouts in _handouts/: solution cells removed, outputs cleared
	$(PY) tools/make_handouts.py --out $(HANDOUTS)

student-test: $(STAMP)  ## check the handouts: no solution left, and every handout runs in the smoke profile (minutes)
	COURSE_SLOW_TESTS=1 COURSE_PROFILE=smoke $(PY) -m pytest -q -p no:cacheprovider --durations=12 tests/test_handouts.py

$(E2E_STAMP): $(STAMP) requirements-e2e.txt
	$(PY) -m pip install --quiet -r requirements-e2e.txt
	touch $@

e2e: $(E2E_STAMP) site  ## browser tests in Debian's Chromium: every site page, then JupyterLab runs 00 (smoke)
	@test -x "$(CHROMIUM)" || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium (apt-get)..."; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: 'sudo apt-get install chromium' (Debian), or CHROMIUM=/path/to/chromium make e2e"; exit 1; fi; }
	COURSE_E2E=1 COURSE_CHROMIUM="$(CHROMIUM)" COURSE_SITE_DIR="$(SITE_DIR)" $(PY) -m pytest -q -p no:cacheprovider \
	  --durations=0 tests/e2e

data: $(STAMP)  ## download and verify the full datasets (needs internet)
	$(PY) -m helpers download

sync: $(STAMP)  ## re-pair every notebook with its .py file (after editing either)
	$(BIN)/jupytext --sync notebooks/*.ipynb

lint: $(STAMP)  ## ruff check, ruff format --check and mypy (rules in pyproject.toml); notebooks as .ipynb
	$(BIN)/ruff check helpers tests tools notebooks
	$(BIN)/ruff format --check helpers tests tools notebooks
	$(BIN)/mypy

format: $(STAMP)  ## ruff format and safe fixes on helpers, tests, tools and notebooks; re-pair the .py files
	$(BIN)/ruff format helpers tests tools notebooks
	$(BIN)/ruff check --fix helpers tests tools notebooks
	$(PY) tools/clean_notebooks.py notebooks/*.ipynb
	$(BIN)/jupytext --sync notebooks/*.ipynb

results: $(STAMP)  ## rebuild the README results table from results/*.json
	$(PY) -m helpers results

seeds-06: $(STAMP)  ## notebook 06's seed study (seeds 43-44, LSTM without clipping) -> results/studies/06_imdb_seeds.json
	$(PY) tools/imdb_seeds.py

reproduce: $(STAMP)  ## re-run one notebook (NB=06) in a scratch copy; check its headline is inside the published interval
	@test -n "$(NB)" || { echo "usage: make reproduce NB=06"; exit 2; }
	$(PY) tools/reproduce.py $(NB)

seeds-09: $(STAMP)  ## notebook 09's seed study (its main LSTM with seeds 43-44) -> results/studies/09_lm_seeds.json
	$(PY) tools/lm_seeds.py

seeds-07: $(STAMP)  ## notebook 07's seed study (NSMC tokenizer race, seeds 43-44) -> results/studies/*.json
	$(PY) tools/nsmc_seeds.py

samples: $(STAMP)  ## rebuild the bundled samples from the full data
	COURSE_PROFILE=full $(PY) tools/make_samples.py

lock: $(STAMP)  ## print the exact versions installed (to refresh requirements.txt by hand)
	$(PY) -m pip freeze --exclude-editable

clean:  ## remove caches (keeps .venv and data/)
	rm -rf .pytest_cache .ruff_cache .mypy_cache notebooks/.ipynb_checkpoints
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean  ## also remove .venv and the downloaded data
	rm -rf $(VENV) data
