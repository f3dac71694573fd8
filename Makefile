# jobclauses — the boring Makefile. `make extract` and `make test` set everything up on a fresh machine.
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
CORPUS  ?= corpora/samples
OUT     ?= out
SHARED  ?= ../shared
EVAL    := $(SHARED)/eval
JC      := $(BIN)/jobclauses

.PHONY: setup system-deps extract catalogue report notebooks test eval lint train bench resume-demo fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@$(MAKE) -s system-deps
	touch $(STAMP)

# LibreOffice reads .doc/.rtf/.odt and is the oracle of the Word numbering tests (Writer), and prints the
# workbook to PDF in its test (Calc); antiword is the fallback; Chromium opens the HTML report in its test.
system-deps:
	@if command -v soffice >/dev/null 2>&1 && command -v antiword >/dev/null 2>&1 \
	    && command -v chromium >/dev/null 2>&1 \
	    && { ! command -v dpkg >/dev/null 2>&1 || dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 \
	         || dpkg -s libreoffice-calc >/dev/null 2>&1; }; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing LibreOffice Writer (headless), antiword and Chromium with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui libreoffice-calc-nogui antiword chromium >/dev/null; \
	else echo "warning: soffice/chromium not found and apt-get unavailable: .doc/.rtf/.odt numbering may be lost" >&2; fi

extract: setup
	$(JC) extract $(CORPUS) --out $(OUT)

# The canonical clause catalogue of the corpus: a DuckDB file that grows with each import, and its exports.
# The import takes what extract wrote into $(OUT) (no document is read again).
catalogue: extract
	$(JC) import $(OUT) --db $(OUT)/catalogue.duckdb
	$(JC) catalogue --db $(OUT)/catalogue.duckdb --out $(OUT)/catalogue

report: catalogue
	$(JC) report --db $(OUT)/catalogue.duckdb --out $(OUT)/report.html

# The analysts' notebooks, executed headless against a catalogue of the sample corpus.
notebooks: setup
	$(BIN)/pytest -q tests/test_notebooks.py

test: setup
	$(BIN)/pytest

# Scores every gold set present, each labelled trained-on / tuned-on / blind (evaluation/sets.py), then the facts
# of the samples and the catalogue's pairwise scores.
eval: setup
	@$(BIN)/python -m evaluation.sets --out $(OUT)/eval --shared $(SHARED) $(EVALFLAGS)
	@echo "== corpora/samples facts [trained-on] (per-field accuracy against corpora/samples/facts-gold.jsonl)"
	@$(BIN)/python -m evaluation.facts --pred $(OUT)/eval/samples/instructions.jsonl
	@echo "== catalogue gold: corpora/dedup (wordings); provisions, paraphrases, restatements, standard2 halves; each figure labelled"
	@$(BIN)/python -m evaluation.catalogue

lint: setup
	$(BIN)/ruff check pipeline tests

# TRAINFLAGS="--corrections out/catalogue.duckdb" adds the labels analysts corrected in a catalogue
train: setup
	$(BIN)/python -m evaluation.train $(TRAINFLAGS)

# BENCH_SIZES=1000,10000 make bench for larger corpora
bench: setup
	$(BIN)/python bench/bench_docx.py
	$(BIN)/python bench/bench_legacy.py
	$(BIN)/python bench/run.py

# kill -9 in the middle of a 2,000-file extract and import, rerun, compare with uninterrupted runs (issue 7)
RESUME_SIZE ?= 2000
resume-demo: setup
	$(BIN)/python bench/resume_demo.py --size $(RESUME_SIZE) --workers 2

# Mutated sample files and Word parts through the readers and the segmenter, for a bounded time.
FUZZ_SECONDS ?= 300
fuzz: setup
	-$(BIN)/pip install -q -e '.[fuzz]'
	$(BIN)/python fuzz/run.py $(FUZZ_SECONDS)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
