# Convenience wrappers; the real work is in tasks.py (needs only Python 3.11).
PYTHON ?= python3

.PHONY: setup demo test reports bench lint
setup demo test reports bench:
	$(PYTHON) tasks.py $@

lint: setup
	.venv/bin/ruff check fidelity tests
	.venv/bin/mypy fidelity
