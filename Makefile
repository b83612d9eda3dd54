# `make deck` and `make test` set everything up from nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: deck test bench bench-large precision setup setup-test clean

$(BIN)/vocab: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/vocab
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/vocab

setup-test: $(VENV)/.test-deps

deck: setup
	$(BIN)/vocab build articles -o decks/vocab.apkg

test: setup-test
	$(BIN)/python -m pytest

# Corpora (a) and (b): 1,000 real-length articles each (≈ 3.7 M characters); 6–9 minutes.
bench: setup-test
	$(BIN)/python bench/bench_pipeline.py

# The same and corpus (c): 10,000 articles (≈ 37 M characters). Never part of `make test`.
bench-large: setup-test
	$(BIN)/python bench/bench_pipeline.py --large 10000

precision: setup
	$(BIN)/python eval/precision.py

clean:
	rm -rf $(VENV) build *.egg-info
