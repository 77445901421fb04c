# The LSTM course. `make run` executes the whole course; `make test` is what CI runs.
# Every target creates the virtual environment .venv first when it is missing.

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
export COURSE_PROFILE ?= full

.PHONY: help venv run test unit nbval sync-check lab data lint format sync results samples lock clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python >= 3.10 needed (3.11 tested)"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . || $(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(STAMP)  ## create .venv with the pinned packages and the helpers package

run: $(STAMP)  ## execute every notebook in order, in place (COURSE_PROFILE=full by default)
	@echo "Profile: $(COURSE_PROFILE)"; $(PY) -m helpers status; \
	for nb in $(NOTEBOOKS); do \
	  start=$$(date +%s); \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=-1 "$$nb" \
	    --log-level=WARN || { echo "FAILED: $$nb"; exit 1; }; \
	  echo "$$nb: $$(( $$(date +%s) - start )) s"; \
	done
	@if [ "$(COURSE_PROFILE)" = full ]; then $(PY) -m helpers results > /dev/null && echo "README results table updated."; fi

test: unit nbval  ## unit tests, then every notebook executed by nbval in the smoke profile

unit: $(STAMP)  ## unit tests of helpers (no network)
	COURSE_PROFILE=smoke $(PY) -m pytest -q tests

nbval: $(STAMP)  ## execute every notebook top to bottom in a fresh kernel (smoke profile, lax mode)
	COURSE_PROFILE=smoke MPLBACKEND=Agg $(PY) -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env \
	  --durations=12 $(NOTEBOOKS)

lab: $(STAMP)  ## open the course in JupyterLab
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

data: $(STAMP)  ## download and verify the full datasets (needs internet)
	$(PY) -m helpers download

sync: $(STAMP)  ## re-pair every notebook with its .py file (after editing either)
	$(BIN)/jupytext --sync notebooks/*.ipynb

lint: $(STAMP)  ## ruff on helpers, tests, tools and notebooks
	$(BIN)/ruff check helpers tests tools notebooks/*.py

format: $(STAMP)  ## ruff format on helpers, tests and tools
	$(BIN)/ruff format helpers tests tools

results: $(STAMP)  ## rebuild the README results table from results/*.json
	$(PY) -m helpers results

samples: $(STAMP)  ## rebuild the bundled samples from the full data
	COURSE_PROFILE=full $(PY) tools/make_samples.py

lock: $(STAMP)  ## print the exact versions installed (to refresh requirements.txt by hand)
	$(PY) -m pip freeze --exclude-editable

clean:  ## remove caches and saved models (keeps .venv and data/)
	rm -rf .pytest_cache .ruff_cache notebooks/.ipynb_checkpoints notebooks/saved_models
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean  ## also remove .venv and the downloaded data
	rm -rf $(VENV) data
