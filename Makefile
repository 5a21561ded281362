# Every target creates .venv itself when missing, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/claimlens scan data/raw -o data/out --overwrite --html
	@echo "Report written to: $$(cd data/out && pwd)/ (documents.csv, sentences.csv, findings.csv, report.html)"

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The HTML report is tested in Debian's chromium (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

bench: $(STAMP) .venv-medspacy/.installed
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/batch.py

# medspaCy (the peer in the benchmark) pins an older spaCy: it gets a venv of its own.
.venv-medspacy/.installed:
	$(PYTHON) -m venv .venv-medspacy
	.venv-medspacy/bin/python -m pip install -q medspacy
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) .venv-medspacy data/out/*.csv data/out/*.jsonl data/out/*.parquet
