# fidelity: set-up, demo, tests, reports. Needs only Python 3.11 on the machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEEDS  := corpora/seeds

.PHONY: setup demo test reports bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The main job on the bundled seed pair: the original article against its re-translated copy.
# fidelity exits 1 when it finds distortions, which is the expected outcome here.
demo: setup
	$(BIN)/fidelity diff $(SEEDS)/000_e4863368997e6bb7.txt $(SEEDS)/002_8e37ae472674b90e.txt || test $$? -eq 1

test: setup
	$(BIN)/python -m pytest -q

# Regenerate every report under reports/ from the corpora (never edit them by hand).
reports: setup
	$(BIN)/python reports/generate.py

bench: setup
	$(BIN)/python benchmarks/bench_diff.py

lint: setup
	$(BIN)/ruff check fidelity tests
	$(BIN)/mypy fidelity

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .hypothesis
