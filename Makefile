# `make deck` and `make test` set everything up from nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: deck test bench bench-large precision setup setup-test clean

# Each step says what it does: a fresh install takes minutes, and silence looks hung.
$(BIN)/vocab: pyproject.toml
	@echo "==> creating the virtual environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	@echo "==> updating pip"
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> installing vocab and its dictionaries (JMdict, UniDic, OpenJTalk: a few minutes the first time)"
	$(BIN)/python -m pip install --progress-bar on -e .
	@touch $@
	@echo "==> installed: $(BIN)/vocab"

$(VENV)/.test-deps: $(BIN)/vocab
	@echo "==> installing the test tools (pytest, hypothesis, anki)"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/vocab

setup-test: $(VENV)/.test-deps

deck: setup
	@echo "==> building decks/vocab.apkg from articles/"
	$(BIN)/vocab build articles -o decks/vocab.apkg

test: setup-test
	$(BIN)/python -m pytest

# Corpora (a) and (b): 1,000 real-length articles each (≈ 3.7 M characters); 6–9 minutes.
bench: setup-test
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_audio.py

# The same and corpus (c): 10,000 articles (≈ 37 M characters). Never part of `make test`.
bench-large: setup-test
	$(BIN)/python bench/bench_pipeline.py --large 10000

precision: setup
	$(BIN)/python eval/precision.py

clean:
	rm -rf $(VENV) build *.egg-info
